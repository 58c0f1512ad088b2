package org.trapline.aggregator.counts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the gallery stage keeps of one individual: its status and merge target from its latest update,
 * the sightings that update lists, and the sightings that name it as their own individual (directly, or
 * through individuals merged into it).
 *
 * @param status null while no update of this individual has been read
 */
public record GalleryEntry(String status, String mergedInto, List<String> sightingIds, Map<String, Named> namedBy) {

    static final String MERGED = "MERGED";
    static final String RETIRED = "RETIRED";
    /** A tombstone on {@code individuals}: the individual is gone. */
    static final String DELETED = "DELETED";

    /** A sighting naming this individual: its own individual, and the merged ones between. */
    public record Named(String ownIndividualId, List<String> via) {
    }

    static final GalleryEntry UNKNOWN = new GalleryEntry(null, null, List.of(), Map.of());

    /** Live individuals (and ones not heard of yet) can have sightings; merged and retired ones cannot. */
    boolean live() {
        return !MERGED.equals(status) && !RETIRED.equals(status) && !DELETED.equals(status);
    }

    /** Where a sighting that names this individual goes: {@code self}, {@code merged}, or {@code gone}. */
    String resolution() {
        if (MERGED.equals(status) && mergedInto != null) {
            return "merged:" + mergedInto;
        }
        return live() || MERGED.equals(status) ? "self" : "gone";
    }

    GalleryEntry withState(Message.IndividualState state) {
        return new GalleryEntry(state.status(), state.mergedInto(), state.sightingIds(), namedBy);
    }

    GalleryEntry withNamed(String sightingId, Named named) {
        Map<String, Named> more = new LinkedHashMap<>(namedBy);
        more.put(sightingId, named);
        return new GalleryEntry(status, mergedInto, sightingIds, more);
    }
}
