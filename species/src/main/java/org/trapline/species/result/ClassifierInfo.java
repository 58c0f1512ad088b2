package org.trapline.species.result;

/** Which classifier produced an answer, so that answers of different models are never mixed unknowingly. */
public record ClassifierInfo(String name, String version) {
}
