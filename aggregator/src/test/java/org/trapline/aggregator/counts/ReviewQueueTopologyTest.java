package org.trapline.aggregator.counts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.aggregator.review.ReviewQueue;
import org.trapline.aggregator.review.ReviewTaxonomy;
import org.trapline.schema.BlobRef;
import org.trapline.schema.BoundingBox;
import org.trapline.schema.ClassificationKind;
import org.trapline.schema.Correction;
import org.trapline.schema.CorrectionKind;
import org.trapline.schema.Detection;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.ModelInfo;
import org.trapline.schema.SpeciesClassification;
import org.trapline.schema.TaxonRank;

/**
 * The workbench's queue, frames and checks read from the frame stage's store: the blank audit's estimate
 * against sites where the true share of "empty" frames holding an animal is known, and the classifier's
 * accuracy worked by hand.
 */
class ReviewQueueTopologyTest {

    static final Instant T0 = Instant.parse("2026-03-14T05:00:00Z");
    static final ReviewTaxonomy NO_TAXONOMY = new ReviewTaxonomy(null);

    static FrameDetections frame(String id, String site, Instant time, List<Detection> boxes, List<SpeciesClassification> named) {
        return FrameDetections.newBuilder().setFrameId(id).setSiteId(site).setCameraId(site + "-cam1").setDeploymentId(null)
                .setCaptureTime(time).setBlob(new BlobRef("fs", "sha256/" + id, 1000L)).setWidth(640).setHeight(480)
                .setModel(new ModelInfo("test", "1")).setDetections(boxes).setEmpty(boxes.stream()
                        .noneMatch(b -> b.getCategory() == DetectionCategory.ANIMAL))
                .setRedacted(false).setProcessedTime(time).setClassifications(named).build();
    }

    static Correction decided(String id, FrameDetections f, CorrectionKind kind) {
        return Correction.newBuilder().setCorrectionId(id).setFrameId(f.getFrameId()).setSiteId(f.getSiteId())
                .setCameraId(f.getCameraId()).setCaptureTime(f.getCaptureTime()).setKind(kind).setReviewer("amara")
                .setDecidedAt(T0).build();
    }

    /**
     * Ten simulated sites, each 600 frames called empty over five days of which a known share (3% to 12%) truly
     * hold an animal; a reviewer answers every audited frame truly. The audit draws about its share at random
     * (and at least its minimum each day); its estimate is the true share among the frames it drew, exactly; and its
     * 95% interval holds the site's true share for nearly every site (a 95% interval misses 1 in 20).
     */
    @Test
    void theBlankAuditEstimatesTheShareOfEmptyFramesHoldingAnAnimal(@TempDir Path state) {
        double share = 0.2;
        int covered = 0;
        int sites = 10;
        try (CountsDriver counts = new CountsDriver(state)) {
            ReviewQueue queue = counts.reviewQueue(NO_TAXONOMY, share, 3);
            for (int s = 0; s < sites; s++) {
                String site = "audit-" + s;
                double truth = 0.03 + 0.01 * s;
                Random random = new Random(100 + s);
                List<FrameDetections> frames = new ArrayList<>();
                List<Boolean> holds = new ArrayList<>();
                for (int i = 0; i < 600; i++) {
                    FrameDetections f = frame(site + "-f" + i, site, T0.plus(Duration.ofMinutes(12L * i)), List.of(), List.of());
                    frames.add(f);
                    holds.add(random.nextDouble() < truth);
                    counts.send(f);
                }
                List<ReviewQueue.FrameView> audited = queue.queue(new ReviewQueue.Filter(site, null, null, null, null, null, null,
                        true, false, 600));
                assertTrue(audited.size() >= 600 * share * 0.75 && audited.size() <= 600 * share * 1.25,
                        site + ": the audit drew " + audited.size() + " of 600 at a share of " + share);
                long holding = 0;
                for (ReviewQueue.FrameView v : audited) {
                    int i = Integer.parseInt(v.frameId().substring(v.frameId().lastIndexOf('f') + 1));
                    boolean animal = holds.get(i);
                    holding += animal ? 1 : 0;
                    counts.send(decided(v.frameId() + "-check", frames.get(i), animal ? CorrectionKind.ANIMAL_PRESENT : CorrectionKind.ACCEPTED));
                }
                ReviewQueue.BlankAudit result = queue.blankAudit(site);
                assertEquals(600, result.calledEmpty());
                assertEquals(audited.size(), result.checked());
                assertEquals(holding, result.holdingAnimals());
                assertEquals((double) holding / audited.size(), result.missRate().estimate(), 1e-12);
                if (result.missRate().lower95() <= truth && truth <= result.missRate().upper95()) {
                    covered++;
                }
                // the frames found to hold an animal are counted now: as many sightings as were found
                assertEquals(holding, counts.total(site, "all").sightings());
            }
        }
        assertTrue(covered >= 8, covered + " of " + sites + " intervals hold the true share");
    }

    @Test
    void aDayWithFewEmptyFramesStillSendsItsMinimumToTheQueue(@TempDir Path state) {
        try (CountsDriver counts = new CountsDriver(state)) {
            // a share of 0: only the minimum per day; two days of five frames each, in Johannesburg's days (UTC here)
            for (int i = 0; i < 10; i++) {
                counts.send(frame("min-f" + i, "min", T0.plus(Duration.ofHours(i < 5 ? i : 24 + i)), List.of(), List.of()));
            }
            ReviewQueue queue = counts.reviewQueue(NO_TAXONOMY, 0.0, 2);
            List<ReviewQueue.FrameView> audited = queue.queue(new ReviewQueue.Filter("min", null, null, null, null, null, null,
                    true, false, 100));
            assertEquals(4, audited.size(), "two a day");
            assertEquals(2, audited.stream().filter(v -> v.captureTime().isBefore(T0.plus(Duration.ofHours(12)))).count());
        }
    }

    @Test
    void aFrameShowsTheNetworksAnswersAndWhatReviewersDecided(@TempDir Path state) {
        try (CountsDriver counts = new CountsDriver(state)) {
            FrameDetections f = frame("f1", "north", T0, List.of(
                    new Detection(DetectionCategory.ANIMAL, "animal", 0.62f, new BoundingBox(0.1f, 0.1f, 0.3f, 0.3f)),
                    new Detection(DetectionCategory.PERSON, "person", 0.9f, new BoundingBox(0.6f, 0.1f, 0.2f, 0.6f))),
                    List.of(SpeciesClassification.newBuilder().setDetection(0).setKind(ClassificationKind.ANIMAL)
                            .setLabel("house cat").setScientificName("Felis catus").setRank(TaxonRank.SPECIES).setScore(0.41f)
                            .setSource("classifier").setTop5(List.of()).setClassifier(new ModelInfo("c", "1")).setFlags(List.of())
                            .build()));
            counts.send(f);
            counts.send(org.trapline.schema.Sighting.newBuilder(CorrectionsTopologyTest.box("f1", 0, "north-cam1", "house cat", T0))
                    .setScientificName("Felis catus").build());
            ReviewQueue queue = counts.reviewQueue(NO_TAXONOMY, 0.02, 3);
            ReviewQueue.FrameView before = queue.frame("f1").orElseThrow();
            assertFalse(before.imageShown(), "a person on it, not redacted: never shown");
            assertEquals("the detector found a person and the image was not redacted", before.imageWithheld());
            assertEquals(0.62f, before.animalConfidence());
            assertEquals("f1:0", before.boxes().get(0).sightingId());
            assertEquals("Felis catus", before.boxes().get(0).species());
            assertEquals(0.41f, before.boxes().get(0).speciesScore());
            assertNull(before.boxes().get(1).sightingId(), "a person is no sighting");
            assertNull(before.reviewer());
            assertEquals(List.of("f1"), queue.queue(new ReviewQueue.Filter("north", null, null, null, "medium", null, null,
                    false, true, 10)).stream().map(ReviewQueue.FrameView::frameId).toList());

            Correction ocelot = Correction.newBuilder(decided("c1", f, CorrectionKind.SPECIES)).setSightingId("f1:0")
                    .setScientificName("Leopardus pardalis").setCommonName("ocelot").build();
            counts.send(ocelot);
            ReviewQueue.FrameView after = queue.frame("f1").orElseThrow();
            assertEquals("amara", after.reviewer());
            assertEquals("Leopardus pardalis", after.sightings().get(0).scientificName());
            assertEquals("amara", after.sightings().get(0).classifiedBy());
            assertEquals(List.of(), queue.queue(new ReviewQueue.Filter("north", null, null, null, null, null, null, false, true, 10)),
                    "reviewed: out of the unreviewed queue");
            assertEquals(List.of("f1"), queue.queue(new ReviewQueue.Filter("north", null, "ocelot", null, null, null, null,
                    false, false, 10)).stream().map(ReviewQueue.FrameView::frameId).toList(), "found by the reviewer's name");

            // the classifier said Felis catus: wrong at species and genus (Leopardus), the family unknown without a taxonomy
            ReviewQueue.SpeciesAccuracy accuracy = queue.speciesAccuracy("north").get(0);
            assertEquals("Felis catus", accuracy.species());
            assertEquals(1, accuracy.reviewed());
            assertEquals(0, accuracy.rightAtRank().get("species").count());
            assertEquals(1, accuracy.rightAtRank().get("species").of());
            assertEquals(0, accuracy.rightAtRank().get("genus").count());
            assertFalse(accuracy.rightAtRank().containsKey("family"));
        }
    }
}
