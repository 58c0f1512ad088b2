package org.trapline.species.result;

/**
 * One of the classifier's best classes, before rollup: its own name for the class ("cougar", "malamute"),
 * the scientific name of the taxon it maps to (null for blank, human, vehicle), and its probability.
 */
public record ClassScore(String label, String scientificName, float score) {
}
