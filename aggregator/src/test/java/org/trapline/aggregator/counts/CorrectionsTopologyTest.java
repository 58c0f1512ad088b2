package org.trapline.aggregator.counts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.schema.BlobRef;
import org.trapline.schema.BoundingBox;
import org.trapline.schema.Correction;
import org.trapline.schema.CorrectionKind;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.DetectionRef;
import org.trapline.schema.MatchDecision;
import org.trapline.schema.Sighting;
import org.trapline.schema.SpeciesCount;

/**
 * Corrections through the counts topology: what a reviewer decides reaches every window, the events and
 * their MaxN and the activity by hour, exactly once; and after any mix of corrections the counts are the
 * counts of the corrected sightings sent as if the networks had been right (worked by hand below, and
 * checked against a second topology fed the corrected data on random histories).
 */
class CorrectionsTopologyTest {

    static final Instant T0 = Instant.parse("2026-03-14T05:00:00Z");
    static final Duration INDEPENDENCE = Duration.ofMinutes(30);

    /** Box {@code index} on {@code frame}: the identifier's sighting {@code frame:index}. */
    static Sighting box(String frame, int index, String camera, String species, Instant time) {
        return Sighting.newBuilder()
                .setSightingId(frame + ":" + index)
                .setSiteId("north")
                .setCameraId(camera)
                .setTime(time)
                .setSpeciesLabel(species)
                .setDecision(MatchDecision.UNMARKED)
                .setEventId("burst-" + frame)
                .setDetection(new DetectionRef(frame, index, DetectionCategory.ANIMAL, 0.8f,
                        new BoundingBox(0.1f, 0.1f, 0.2f, 0.2f), new BlobRef("fs", "sha256/" + frame, 100L)))
                .build();
    }

    static Correction.Builder about(String id, String frame, String camera, Instant time, CorrectionKind kind) {
        return Correction.newBuilder().setCorrectionId(id).setFrameId(frame).setSiteId("north").setCameraId(camera)
                .setCaptureTime(time).setKind(kind).setReviewer("amara").setDecidedAt(Instant.parse("2026-04-01T00:00:00Z"));
    }

    static Correction about(String id, Sighting s, CorrectionKind kind, String scientific, Integer count) {
        return about(id, s.getDetection().getFrameId(), s.getCameraId(), s.getTime(), kind).setSightingId(s.getSightingId())
                .setScientificName(scientific).setCount(count).build();
    }

    static Instant minutes(int m) {
        return T0.plus(Duration.ofMinutes(m));
    }

    @Test
    void aRenamedSpeciesMovesItsSightingEventAndHourInEveryWindow(@TempDir Path state) {
        try (CountsDriver counts = new CountsDriver(state, CountsTopologyTest.NORTH_IN_JOHANNESBURG, INDEPENDENCE, List.of())) {
            Sighting s1 = box("f1", 0, "cam1", "leopard", minutes(0));
            Sighting s2 = box("f2", 0, "cam1", "leopard", minutes(10));
            Sighting s3 = box("f3", 0, "cam1", "leopard", minutes(60));
            counts.send(s1, s2, s3);
            // one event 07:00–07:10 local (s1, s2), one at 08:00 (s3)
            assertEquals(new Tally(3, 2, 2, 0, 0, 0, 0), counts.tally("north", "all", "leopard"));

            // s2 was a caracal: the first leopard event keeps s1; s2 is a caracal event of its own
            counts.send(Correction.newBuilder(about("c1", s2, CorrectionKind.SPECIES, "Caracal caracal", null))
                    .setCommonName("caracal").build());
            for (String window : List.of("all", "day/2026-03-14")) {
                assertEquals(new Tally(2, 2, 2, 0, 0, 0, 0), counts.tally("north", window, "leopard"), window);
                assertEquals(new Tally(1, 1, 1, 0, 0, 0, 0), counts.tally("north", window, "caracal"), window);
                assertEquals(new Tally(3, 3, 3, 0, 0, 0, 0), counts.total("north", window), window);
            }
            Activity leopard = counts.activity("north", "leopard");
            Activity caracal = counts.activity("north", "caracal");
            assertEquals(1, leopard.sightings()[7], "s1 at 07:00 local; s2 left");
            assertEquals(1, leopard.events()[7]);
            assertEquals(1, caracal.sightings()[7]);
            assertEquals(1, caracal.events()[7]);
            assertEquals(List.of(new SpeciesCount("caracal", 1L, 1L, 0, 1L), new SpeciesCount("leopard", 2L, 2L, 0, 2L)),
                    counts.published().get("north/all").getSpecies());

            SightingFacts renamed = counts.view("north", "f2:0", minutes(10)).facts();
            assertEquals("Caracal caracal", renamed.scientificName());
            assertEquals("amara", renamed.classifiedBy(), "exported as classified by the reviewer");
            assertNull(counts.view("north", "f1:0", minutes(0)).facts().classifiedBy(), "still the networks' answer");
        }
    }

    @Test
    void aFrameCalledEmptyThatHoldsAnAnimalBecomesASightingAndEmptyAgainTakesItBack(@TempDir Path state) {
        try (CountsDriver counts = new CountsDriver(state, CountsTopologyTest.NORTH_IN_JOHANNESBURG, INDEPENDENCE, List.of())) {
            counts.send(about("c1", "empty-frame", "cam2", minutes(5), CorrectionKind.ANIMAL_PRESENT)
                    .setScientificName("Leopardus pardalis").setCommonName("ocelot").setCount(2).build());
            assertEquals(new Tally(1, 1, 2, 0, 0, 0, 0), counts.tally("north", "all", "ocelot"), "one sighting, MaxN 2");
            SightingView view = counts.view("north", FrameReview.presentId("empty-frame"), minutes(5));
            assertNotNull(view);
            assertEquals("amara", view.facts().classifiedBy());
            assertArrayEquals(new float[] {0, 0, 1, 1}, view.facts().bbox(), "no box drawn: the whole frame");
            assertEquals(1, counts.published().get("north/all").getSightings());

            // the reviewer looked again: it was empty after all (a later decision about the same thing wins)
            counts.send(about("c2", "empty-frame", "cam2", minutes(5), CorrectionKind.EMPTY).build());
            assertEquals(Tally.ZERO, counts.total("north", "all"));
            assertEquals(0, counts.published().get("north/all").getSightings());
            assertNull(counts.view("north", FrameReview.presentId("empty-frame"), minutes(5)));
        }
    }

    @Test
    void theSameCorrectionTwiceIsOneAndALaterOneSupersedes(@TempDir Path state) {
        try (CountsDriver counts = new CountsDriver(state, CountsTopologyTest.NORTH_IN_JOHANNESBURG, INDEPENDENCE, List.of())) {
            Sighting s1 = box("f1", 0, "cam1", "leopard", minutes(0));
            counts.send(s1);
            Correction caracal = about("c1", s1, CorrectionKind.SPECIES, "Caracal caracal", null);
            Correction serval = about("c2", s1, CorrectionKind.SPECIES, "Leptailurus serval", null);
            counts.send(caracal, caracal);
            assertEquals(new Tally(1, 1, 1, 0, 0, 0, 0), counts.tally("north", "all", "Caracal caracal"));
            assertEquals(new Tally(1, 1, 1, 0, 0, 0, 0), counts.total("north", "all"), "twice is once");

            // the second decision supersedes the first; the first sent again (a retry) changes nothing
            counts.send(serval, caracal, serval);
            assertEquals(Tally.ZERO, counts.tally("north", "all", "Caracal caracal"));
            assertEquals(Tally.ZERO, counts.tally("north", "all", "leopard"));
            assertEquals(new Tally(1, 1, 1, 0, 0, 0, 0), counts.tally("north", "all", "Leptailurus serval"));
            assertEquals(new Tally(1, 1, 1, 0, 0, 0, 0), counts.total("north", "all"));

            // the identifier's sighting read again (a replay) keeps the reviewer's name
            counts.send(s1);
            assertEquals(new Tally(1, 1, 1, 0, 0, 0, 0), counts.tally("north", "all", "Leptailurus serval"));
        }
    }

    @Test
    void aRemovedBoxSplitsItsEventAndARecountedOneChangesMaxN(@TempDir Path state) {
        try (CountsDriver counts = new CountsDriver(state, CountsTopologyTest.NORTH_IN_JOHANNESBURG, INDEPENDENCE, List.of())) {
            Sighting a = box("f1", 0, "cam1", "impala", minutes(0));
            Sighting b = box("f1", 1, "cam1", "impala", minutes(0));
            Sighting c = box("f2", 0, "cam1", "impala", minutes(20));
            Sighting d = box("f3", 0, "cam1", "impala", minutes(40));
            counts.send(a, b, c, d);
            // detections 20 minutes apart: one event, MaxN 2 (f1)
            assertEquals(new Tally(4, 1, 2, 0, 0, 0, 0), counts.tally("north", "all", "impala"));

            // f2's box was a shadow: 40 minutes between f1 and f3, so two events, MaxN 2 and 1
            counts.send(about("c1", c, CorrectionKind.BOX_REMOVED, null, null));
            assertEquals(new Tally(3, 2, 3, 0, 0, 0, 0), counts.tally("north", "all", "impala"));
            assertEquals(2, counts.activity("north", "impala").events()[7], "both events start in the 07:00 hour");

            // one of f1's two boxes held a person: f1 has one impala, the first event's MaxN is 1
            counts.send(about("c2", b, CorrectionKind.PERSON_PRESENT, null, null));
            assertEquals(new Tally(2, 2, 2, 0, 0, 0, 0), counts.tally("north", "all", "impala"));

            // f3's box holds four impala: MaxN 4
            counts.send(about("c3", d, CorrectionKind.COUNT, null, 4));
            assertEquals(new Tally(2, 2, 5, 0, 0, 0, 0), counts.tally("north", "all", "impala"));
            assertEquals(4, counts.view("north", "f3:0", minutes(40)).facts().animals());

            // a box drawn on f2 after all: the events join again, MaxN max(1, 1, 4) = 4
            counts.send(about("c4", "f2", "cam1", minutes(20), CorrectionKind.BOX_ADDED).setScientificName("Aepyceros melampus")
                    .setCommonName("impala").setBbox(new BoundingBox(0.5f, 0.5f, 0.1f, 0.1f)).build());
            assertEquals(new Tally(3, 1, 4, 0, 0, 0, 0), counts.tally("north", "all", "impala"));
        }
    }

    /**
     * Random histories of sightings and corrections (renames, removals, recounts of no box, frames emptied,
     * animals on empty frames, retries), each in a random order: the counts equal those of a second topology
     * fed only the corrected sightings, as the networks would have given them had they been right.
     */
    @Test
    void anyMixOfCorrectionsCountsAsTheCorrectedDataWould(@TempDir Path state) {
        String[] species = {"impala", "kudu", "leopard"};
        for (int seed = 0; seed < 25; seed++) {
            Random random = new Random(seed);
            Map<String, Sighting> truth = new LinkedHashMap<>();
            List<Object> inputs = new ArrayList<>();
            List<String> frames = new ArrayList<>();
            Map<String, Instant> frameTimes = new LinkedHashMap<>();
            Map<String, String> frameCameras = new LinkedHashMap<>();
            Map<String, Integer> detectedBoxes = new LinkedHashMap<>();
            for (int f = 0; f < 14; f++) {
                String frame = "s" + seed + "-f" + f;
                String camera = "cam" + random.nextInt(2);
                Instant time = minutes(random.nextInt(180));
                frames.add(frame);
                frameTimes.put(frame, time);
                frameCameras.put(frame, camera);
                int boxes = random.nextInt(3);
                detectedBoxes.put(frame, boxes);
                for (int i = 0; i < boxes; i++) {
                    Sighting s = box(frame, i, camera, species[random.nextInt(species.length)], time);
                    truth.put(s.getSightingId(), s);
                    inputs.add(s);
                }
            }
            List<Correction> sent = new ArrayList<>();
            for (int k = 0; k < 12; k++) {
                String frame = frames.get(random.nextInt(frames.size()));
                List<Sighting> onFrame = truth.values().stream().filter(s -> s.getDetection().getFrameId().equals(frame)).toList();
                String id = "s" + seed + "-c" + k;
                Correction c;
                int choice = random.nextInt(4);
                if (!onFrame.isEmpty() && choice == 0) {
                    Sighting s = onFrame.get(random.nextInt(onFrame.size()));
                    String name = species[random.nextInt(species.length)];
                    c = Correction.newBuilder(about(id, s, CorrectionKind.SPECIES, "Panthera pardus", null)).setCommonName(name).build();
                    truth.put(s.getSightingId(), Sighting.newBuilder(s).setSpeciesLabel(name).build());
                } else if (!onFrame.isEmpty() && choice == 1) {
                    Sighting s = onFrame.get(random.nextInt(onFrame.size()));
                    c = about(id, s, CorrectionKind.BOX_REMOVED, null, null);
                    truth.remove(s.getSightingId());
                } else if (!onFrame.isEmpty() && choice == 2) {
                    c = about(id, frame, frameCameras.get(frame), frameTimes.get(frame), CorrectionKind.EMPTY).build();
                    onFrame.forEach(s -> truth.remove(s.getSightingId()));
                } else if (onFrame.isEmpty() && detectedBoxes.get(frame) == 0) {
                    String name = species[random.nextInt(species.length)];
                    c = about(id, frame, frameCameras.get(frame), frameTimes.get(frame), CorrectionKind.ANIMAL_PRESENT)
                            .setScientificName("Panthera pardus").setCommonName(name).build();
                    Sighting animal = box(frame, 0, frameCameras.get(frame), name, frameTimes.get(frame));
                    truth.put(FrameReview.presentId(frame), Sighting.newBuilder(animal).setSightingId(FrameReview.presentId(frame))
                            .build());
                } else {
                    continue;
                }
                sent.add(c);
                // a correction comes after what it corrects and after the frame's earlier corrections (one frame's are
                // on one partition, in order); sightings and corrections of other frames interleave at random
                int after = Math.max(0, lastAbout(inputs, frame));
                inputs.add(after + random.nextInt(inputs.size() - after + 1), c);
                if (random.nextInt(4) == 0) {
                    inputs.add(c);
                }
            }
            Path reviewed = state.resolve("reviewed-" + seed);
            Path recount = state.resolve("recount-" + seed);
            try (CountsDriver withCorrections = new CountsDriver(reviewed, CountsTopologyTest.NORTH_IN_JOHANNESBURG, INDEPENDENCE, List.of());
                 CountsDriver fromCorrectedData = new CountsDriver(recount, CountsTopologyTest.NORTH_IN_JOHANNESBURG, INDEPENDENCE, List.of())) {
                for (Object input : inputs) {
                    if (input instanceof Sighting s) {
                        withCorrections.send(s);
                    } else {
                        withCorrections.send((Correction) input);
                    }
                }
                List<Sighting> corrected = new ArrayList<>(truth.values());
                java.util.Collections.shuffle(corrected, random);
                corrected.forEach(fromCorrectedData::send);
                Map<String, String> expected = fromCorrectedData.counted();
                assertEquals(expected, withCorrections.counted(), "seed " + seed + ": " + sent.size() + " corrections");
            }
        }
    }

    /** Just after the last input about the frame (a sighting or a correction of it), or -1. */
    private static int lastAbout(List<Object> inputs, String frame) {
        for (int i = inputs.size() - 1; i >= 0; i--) {
            String of = inputs.get(i) instanceof Sighting s ? s.getDetection().getFrameId() : ((Correction) inputs.get(i)).getFrameId();
            if (of.equals(frame)) {
                return i + 1;
            }
        }
        return -1;
    }
}
