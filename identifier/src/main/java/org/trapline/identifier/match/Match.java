package org.trapline.identifier.match;

/** A candidate individual for a crop: how alike, by which matcher. Higher is more alike. */
public record Match(String individualId, float score, String matcher) {
}
