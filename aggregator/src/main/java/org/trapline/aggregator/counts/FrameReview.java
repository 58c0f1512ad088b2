package org.trapline.aggregator.counts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the frame stage knows of one frame: what the detector said of it, the sightings the identifier made
 * of it, and what reviewers decided since. {@link #sightings()} is what the counts are made of.
 *
 * <p>Corrections are applied in the order of the {@code corrections} topic (one frame's are all on one
 * partition, in the order they were made): a later correction of the same thing replaces the earlier
 * one, and one whose id is among {@code applied} is skipped, so a correction sent twice (a retry, a
 * replay) is applied once even after later ones.
 *
 * @param frame       the detector's answer for the frame; null until read (or when it is past the detections'
 *                    retention)
 * @param detected    the identifier's sightings of the frame, by sighting id, as last read
 * @param added       sightings reviewers added (a box drawn, an animal on a frame called empty), by sighting id
 * @param empty       the latest decision on the frame said it holds no animal
 * @param species     sighting id to the reviewer's species for it
 * @param counts      sighting id to the animals the reviewer counted in its box
 * @param removed     sightings a reviewer removed (a false box, a person the detector took for an animal)
 * @param accepted    sightings whose answers a reviewer accepted as they stand
 * @param verdict     what the latest decision on the whole frame said: {@code ACCEPTED}, {@code EMPTY} or
 *                    {@code ANIMAL} (an animal present, or a box added); null before any
 * @param personSeen  a reviewer saw a person the detector missed: its image is not shown until redacted
 * @param reviewer    who made the latest correction, null before any
 * @param reviewedAt  when (epoch ms), 0 before any
 * @param applied     the ids of the corrections applied
 */
public record FrameReview(FrameInfo frame, Map<String, SightingFacts> detected, Map<String, SightingFacts> added,
                          boolean empty, Map<String, CorrectionFacts> species, Map<String, Integer> counts,
                          Set<String> removed, Set<String> accepted, String verdict, boolean personSeen, String reviewer,
                          long reviewedAt, Set<String> applied) {

    static final FrameReview NONE = new FrameReview(null, Map.of(), Map.of(), false, Map.of(), Map.of(), Set.of(), Set.of(),
            null, false, null, 0, Set.of());

    /** The sighting added for an animal on a frame that had none: one per frame, so saying it again changes it. */
    static String presentId(String frameId) {
        return frameId + ":reviewed";
    }

    static String addedId(CorrectionFacts c) {
        return c.frameId() + ":added:" + c.correctionId();
    }

    /** The frame's sightings as the counts should have them now, by sighting id. */
    public Map<String, SightingFacts> sightings() {
        Map<String, SightingFacts> live = new TreeMap<>();
        if (empty) {
            return live;
        }
        Map<String, SightingFacts> all = new LinkedHashMap<>(detected);
        all.putAll(added);
        for (Map.Entry<String, SightingFacts> e : all.entrySet()) {
            if (removed.contains(e.getKey())) {
                continue;
            }
            SightingFacts f = e.getValue();
            CorrectionFacts named = species.get(e.getKey());
            if (named != null) {
                f = f.withSpecies(named.label(), named.scientificName(), named.reviewer());
            }
            Integer count = counts.get(e.getKey());
            if (count != null) {
                f = f.withAnimals(count);
            }
            live.put(e.getKey(), f);
        }
        return live;
    }

    /** Whether a reviewer has looked at the frame at all. */
    boolean reviewed() {
        return reviewer != null;
    }

    FrameReview withFrame(FrameInfo info) {
        return new Draft(this).frame(info).done();
    }

    FrameReview withDetected(SightingFacts f) {
        Draft d = new Draft(this);
        d.detected.put(f.sightingId(), f);
        return d.done();
    }

    /** This frame after the correction (itself, when it was applied before). */
    FrameReview apply(CorrectionFacts c) {
        if (applied.contains(c.correctionId())) {
            return this;
        }
        Draft d = new Draft(this);
        d.applied.add(c.correctionId());
        d.reviewer = c.reviewer();
        d.reviewedAt = c.decidedAt();
        switch (c.kind()) {
            case "ACCEPTED" -> {
                if (c.sightingId() != null) {
                    d.accepted.add(c.sightingId());
                } else {
                    d.verdict = "ACCEPTED";
                    d.accepted.addAll(sightings().keySet());
                }
            }
            case "EMPTY" -> {
                // the frame holds no animal: what was added to it before is gone with the rest
                d.empty = true;
                d.added.clear();
                d.verdict = "EMPTY";
            }
            case "ANIMAL_PRESENT" -> {
                // the frame holds an animal: the detector's boxes, if a decision of empty had hidden them; where
                // it drew none (or a reviewer removed them all), one sighting of the whole frame, made afresh
                d.empty = false;
                d.verdict = "ANIMAL";
                String present = presentId(c.frameId());
                boolean othersLeft = d.done().sightings().keySet().stream().anyMatch(id -> !id.equals(present));
                if (!othersLeft) {
                    d.added.put(present, reviewed(present, c));
                    d.removed.remove(present);
                    d.species.remove(present);
                    d.counts.remove(present);
                }
            }
            case "BOX_ADDED" -> {
                d.empty = false;
                d.verdict = "ANIMAL";
                d.added.put(addedId(c), reviewed(addedId(c), c));
            }
            case "SPECIES" -> d.species.put(c.sightingId(), c);
            case "COUNT" -> d.counts.put(c.sightingId(), c.count());
            case "BOX_REMOVED" -> {
                d.removed.add(c.sightingId());
                d.added.remove(c.sightingId());
            }
            // a person on a box the counts hold is no animal; anywhere on the frame, its image is held back
            case "PERSON_PRESENT" -> {
                d.personSeen = true;
                if (c.sightingId() != null) {
                    d.removed.add(c.sightingId());
                    d.added.remove(c.sightingId());
                }
            }
            // individuals are the gallery's: the identifier's review applies them, the counts follow the gallery
            default -> {
            }
        }
        return d.done();
    }

    /**
     * A sighting a reviewer made: of the frame's event where the identifier saw one, counted at the frame's
     * capture time, the whole frame where no box was drawn.
     */
    private SightingFacts reviewed(String sightingId, CorrectionFacts c) {
        SightingFacts sibling = detected.values().stream().findFirst().orElse(null);
        float[] box = c.bbox() != null ? c.bbox() : new float[] {0, 0, 1, 1};
        String scientific = c.scientificName() != null ? c.scientificName() : "Animalia";
        String label = c.scientificName() != null ? c.label() : scientific;
        String blobStore = frame != null ? frame.blobStore() : sibling != null ? sibling.blobStore() : null;
        String blobUri = frame != null ? frame.blobUri() : sibling != null ? sibling.blobUri() : null;
        return new SightingFacts(sightingId, c.siteId(), c.cameraId(), c.deploymentId(), c.captureTime(), label, scientific,
                null, "UNIDENTIFIED", null, sibling != null ? sibling.eventId() : c.frameId(), c.frameId(), -1, 1.0f, box,
                blobStore, blobUri, c.count() != null ? c.count() : 1, c.reviewer());
    }

    /** The sighting ids whose counted form differs between the two, in order. */
    static List<String> changed(Map<String, SightingFacts> before, Map<String, SightingFacts> after) {
        Set<String> ids = new TreeSet<>(before.keySet());
        ids.addAll(after.keySet());
        return ids.stream().filter(id -> {
            SightingFacts b = before.get(id);
            SightingFacts a = after.get(id);
            if (b == null || a == null) {
                return b != a;
            }
            return a.countsDifferently(b) || !java.util.Objects.equals(a.individualId(), b.individualId());
        }).toList();
    }

    /** A frame's review being changed: copies of its parts, made into a new {@link FrameReview} when done. */
    private static final class Draft {
        FrameInfo frame;
        final Map<String, SightingFacts> detected;
        final Map<String, SightingFacts> added;
        boolean empty;
        final Map<String, CorrectionFacts> species;
        final Map<String, Integer> counts;
        final Set<String> removed;
        final Set<String> accepted;
        String verdict;
        boolean personSeen;
        String reviewer;
        long reviewedAt;
        final Set<String> applied;

        Draft(FrameReview r) {
            frame = r.frame;
            detected = new TreeMap<>(r.detected);
            added = new TreeMap<>(r.added);
            empty = r.empty;
            species = new TreeMap<>(r.species);
            counts = new TreeMap<>(r.counts);
            removed = new TreeSet<>(r.removed);
            accepted = new TreeSet<>(r.accepted);
            verdict = r.verdict;
            personSeen = r.personSeen;
            reviewer = r.reviewer;
            reviewedAt = r.reviewedAt;
            applied = new TreeSet<>(r.applied);
        }

        Draft frame(FrameInfo info) {
            frame = info;
            return this;
        }

        FrameReview done() {
            return new FrameReview(frame, detected, added, empty, species, counts, removed, accepted, verdict, personSeen,
                    reviewer, reviewedAt, applied);
        }
    }
}
