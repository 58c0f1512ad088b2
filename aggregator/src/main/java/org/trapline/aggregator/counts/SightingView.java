package org.trapline.aggregator.counts;

/** A counted sighting, with the individual it belongs to now (null: unidentified). */
public record SightingView(SightingFacts facts, String individualId) {
}
