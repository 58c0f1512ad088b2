package org.trapline.identifier.match;

/**
 * A candidate for a crop: an enrolled key (a reference, or an individual where references are enrolled
 * under their individual's id), how alike, by which matcher. Higher is more alike.
 */
public record Match(String individualId, float score, String matcher) {
}
