package org.trapline.detector.species;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import org.trapline.species.Crop;

/**
 * A frame's crops, cut as soon as its boxes were found, each by its box's index among the boxes the
 * network found, waiting for the rest of the poll to be classified with them; and the boxes whose crop
 * could not be cut, with the reason.
 */
public record FrameCrops(Map<Integer, Crop> crops, Map<Integer, String> failures) {

    /** No box to classify. */
    public static final FrameCrops NONE = new FrameCrops(Map.of(), Map.of());

    public FrameCrops {
        crops = Collections.unmodifiableSortedMap(new TreeMap<>(crops));
        failures = Collections.unmodifiableSortedMap(new TreeMap<>(failures));
    }
}
