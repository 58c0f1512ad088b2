package org.trapline.aggregator.counts;

import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the resolving stage knows of one sighting: the sighting itself (null until read), the live
 * individuals whose latest update lists it (with that update's time), where its own individual leads
 * through merges, and the individual it was last counted for.
 *
 * @param fallbackFor  the own individual the gallery last said something about (null: nothing said yet)
 * @param fallback     where that individual leads through merges (null: retired, none)
 * @param counted      whether the sighting has gone to the counting stage
 * @param individualId the individual it was last counted for
 */
public record Resolution(SightingFacts facts, Map<String, Long> claims, String fallbackFor, String fallback,
                         boolean counted, String individualId) {

    static final Resolution NONE = new Resolution(null, Map.of(), null, null, false, null);

    /**
     * The individual the sighting belongs to now: the live individual whose latest update lists it (the
     * most recent such update, should two list it while a split or merge is under way); failing that, its
     * own individual followed through merges; failing that, none.
     */
    String current() {
        if (!claims.isEmpty()) {
            return claims.entrySet().stream()
                    .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                    .orElseThrow().getKey();
        }
        String own = facts == null ? null : facts.individualId();
        if (own != null && own.equals(fallbackFor)) {
            return fallback;
        }
        return own;
    }

    Resolution withFacts(SightingFacts newFacts) {
        return new Resolution(newFacts, claims, fallbackFor, fallback, counted, individualId);
    }

    Resolution withClaim(String individual, boolean listed, long time) {
        Map<String, Long> next = new TreeMap<>(claims);
        if (listed) {
            next.put(individual, time);
        } else {
            next.remove(individual);
        }
        return new Resolution(facts, next, fallbackFor, fallback, counted, individualId);
    }

    /** What the gallery says of an own individual; about another than the sighting's own, it is stale. */
    Resolution withFallback(String ownIndividualId, String target) {
        if (facts != null && !Objects.equals(facts.individualId(), ownIndividualId)) {
            return this;
        }
        return new Resolution(facts, claims, ownIndividualId, target, counted, individualId);
    }

    /** Counted no more (withdrawn, or about to be counted again as it is now). */
    Resolution uncounted() {
        return new Resolution(facts, claims, fallbackFor, fallback, false, null);
    }

    Resolution countedFor(String individual) {
        return new Resolution(facts, claims, fallbackFor, fallback, true, individual);
    }
}
