package org.trapline.identifier.gallery;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.trapline.blob.BlobKeys;
import org.trapline.identifier.life.LifeHistoryRules;
import org.trapline.identifier.species.AnimalSpecies;
import org.trapline.schema.IndividualChange;
import org.trapline.schema.IndividualStatus;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.ReferenceCrop;
import org.trapline.schema.Sighting;

/**
 * The individual states the identifier writes to the gallery topic. Each is a whole state, so the
 * latest record per individual is the gallery; ids derived from what caused them are the same when a batch
 * is processed again after a crash.
 */
public final class GalleryChanges {

    private GalleryChanges() {
    }

    /** Sightings are named by their frame and the animal's place in it: {@code frameId:index} (safe in a URL path). */
    public static String sightingId(String frameId, int detectionIndex) {
        return frameId + ":" + detectionIndex;
    }

    /** The frame a sighting was made on. */
    public static String frameOf(String sightingId) {
        int colon = sightingId.lastIndexOf(':');
        return colon < 0 ? sightingId : sightingId.substring(0, colon);
    }

    /** A new individual's id, derived from what created it. */
    public static String newIndividualId(String seed) {
        return "ind-" + BlobKeys.sha256(seed.getBytes(StandardCharsets.UTF_8)).substring(0, 12);
    }

    /** The sighting's crop as a reference, with the features a matcher stores (if any). */
    public static ReferenceCrop reference(Sighting sighting, String matcher, Optional<float[]> features) {
        List<Float> embedding = new ArrayList<>();
        features.ifPresent(f -> {
            for (float v : f) {
                embedding.add(v);
            }
        });
        return ReferenceCrop.newBuilder()
                .setSightingId(sighting.getSightingId())
                .setFrameId(sighting.getDetection().getFrameId())
                .setBlob(sighting.getDetection().getBlob())
                .setBbox(sighting.getDetection().getBbox())
                .setMatcher(features.isPresent() ? matcher : null)
                .setEmbedding(embedding)
                .build();
    }

    /** A new provisional individual, first seen in this sighting. */
    public static IndividualUpdate created(String individualId, Sighting sighting, ReferenceCrop reference,
                                           IndividualStatus status, Instant time, String actor, String note) {
        IndividualUpdate.Builder created = IndividualUpdate.newBuilder()
                .setIndividualId(individualId)
                .setChange(IndividualChange.CREATED)
                .setStatus(status)
                .setTime(time)
                .setSpecies(AnimalSpecies.of(sighting).key())  // a gallery is a species' (scientific name where known)
                .setSiteIds(List.of(sighting.getSiteId()))
                .setReferences(reference == null ? List.of() : List.of(reference))
                .setActor(actor)
                .setNote(note);
        return withSightings(created, List.of(sighting.getSightingId()), Map.of(sighting.getSightingId(), sighting.getTime()))
                .build();
    }

    /**
     * The individual, seen once more: the sighting is its, its site is added, and its crop becomes a
     * reference while the individual has fewer than {@code maxReferences}. An individual presumed dead
     * before the day of this sighting is alive after all.
     */
    public static IndividualUpdate seenAgain(IndividualUpdate individual, Sighting sighting, ReferenceCrop reference,
                                             int maxReferences, IndividualChange change, IndividualStatus status,
                                             Instant time, String actor, String note) {
        List<ReferenceCrop> references = new ArrayList<>(individual.getReferences());
        if (reference != null && references.size() < maxReferences
                && references.stream().noneMatch(r -> Gallery.referenceKey(r).equals(Gallery.referenceKey(reference)))) {
            references.add(reference);
        }
        Map<String, Instant> times = new LinkedHashMap<>(individual.getSightingTimes());
        times.put(sighting.getSightingId(), sighting.getTime());
        IndividualUpdate.Builder seen = IndividualUpdate.newBuilder(individual)
                .setChange(change)
                .setStatus(status)
                .setTime(time)
                .setSiteIds(union(individual.getSiteIds(), List.of(sighting.getSiteId())))
                .setReferences(references)
                .setLifeHistory(LifeHistoryRules.seenOn(individual.getLifeHistory(), sighting.getTime()))
                .setActor(actor)
                .setNote(note);
        return withSightings(seen, union(individual.getSightingIds(), List.of(sighting.getSightingId())), times).build();
    }

    /**
     * Sets the sightings an individual's state lists, with the capture times known for them (those of
     * {@code knownTimes} under these ids) and the first and last of those times.
     */
    public static IndividualUpdate.Builder withSightings(IndividualUpdate.Builder builder, List<String> sightingIds,
                                                         Map<String, Instant> knownTimes) {
        Map<String, Instant> times = new LinkedHashMap<>();
        for (String sightingId : sightingIds) {
            Instant time = knownTimes.get(sightingId);
            if (time != null) {
                times.put(sightingId, time);
            }
        }
        return builder.setSightingIds(List.copyOf(sightingIds))
                .setSightingTimes(times)
                .setFirstSeen(times.values().stream().min(Comparator.naturalOrder()).orElse(null))
                .setLastSeen(times.values().stream().max(Comparator.naturalOrder()).orElse(null));
    }

    public static <T> List<T> union(List<T> a, List<T> b) {
        LinkedHashSet<T> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
