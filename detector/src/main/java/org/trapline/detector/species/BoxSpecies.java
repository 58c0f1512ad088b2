package org.trapline.detector.species;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import org.trapline.species.result.SpeciesResult;

/**
 * What the species stage made of a frame's boxes, each box by its index among the boxes the network
 * found: an answer, or the reason there is none (a crop or the classifier failed). Boxes in neither map
 * were not classified (not animals, below the threshold, or the stage is off).
 */
public record BoxSpecies(Map<Integer, SpeciesResult> answers, Map<Integer, String> failures) {

    /** Nothing classified. */
    public static final BoxSpecies NONE = new BoxSpecies(Map.of(), Map.of());

    public BoxSpecies {
        answers = Collections.unmodifiableSortedMap(new TreeMap<>(answers));
        failures = Collections.unmodifiableSortedMap(new TreeMap<>(failures));
    }
}
