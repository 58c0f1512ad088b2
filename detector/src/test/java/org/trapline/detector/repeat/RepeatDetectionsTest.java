package org.trapline.detector.repeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.blob.FileSystemBlobStore;
import org.trapline.schema.BoundingBox;
import org.trapline.schema.Detection;
import org.trapline.schema.DetectionCategory;

class RepeatDetectionsTest {

    static final RepeatDetections.Settings MEGADETECTOR = new RepeatDetections.Settings(0.9f, 20, 0.2f);
    static final Detection ROCK = animal(0.30f, 0.60f, 0.08f, 0.06f);

    static Detection animal(float x, float y, float w, float h) {
        return new Detection(DetectionCategory.ANIMAL, "dog", 0.4f, new BoundingBox(x, y, w, h));
    }

    /** One committed frame: classified, then recorded. */
    static RepeatDetections.Split frame(RepeatDetections repeats, Detection... detections) {
        RepeatDetections.Split split = repeats.classify("cam-7", List.of(detections), Instant.parse("2026-03-14T05:00:00Z"));
        repeats.record(split);
        return split;
    }

    @Test
    void aSmallBoxAtTheSamePlaceIsSuppressedFromItsTwentyFirstTime(@TempDir Path dir) throws Exception {
        RepeatDetections repeats = new RepeatDetections(new FileSystemBlobStore(dir), MEGADETECTOR);
        for (int i = 1; i <= 20; i++) {
            assertEquals(List.of(ROCK), frame(repeats, ROCK).kept(), "occurrence " + i + " passes");
        }
        RepeatDetections.Split later = frame(repeats, animal(0.301f, 0.601f, 0.08f, 0.06f));  // nearly the same place
        assertEquals(List.of(), later.kept());
        assertEquals(1, later.suppressed().size());

        Detection elsewhere = animal(0.60f, 0.20f, 0.08f, 0.06f);
        Detection large = animal(0.30f, 0.55f, 0.5f, 0.5f);
        assertEquals(List.of(elsewhere, large), frame(repeats, elsewhere, large).kept(), "other places and large boxes pass");
        assertEquals(21, repeats.review("cam-7").get(0).count());
    }

    @Test
    void nothingIsCountedUntilTheResultIsRecorded(@TempDir Path dir) throws Exception {
        RepeatDetections repeats = new RepeatDetections(new FileSystemBlobStore(dir), MEGADETECTOR);
        for (int i = 0; i < 30; i++) {
            repeats.classify("cam-7", List.of(ROCK), Instant.now());  // a batch processed, then aborted, again and again
        }
        assertEquals(List.of(), repeats.review());
    }

    @Test
    void anAllowedPlacePassesAndWhatWasLearntSurvivesARestart(@TempDir Path dir) throws Exception {
        RepeatDetections repeats = new RepeatDetections(new FileSystemBlobStore(dir), MEGADETECTOR);
        for (int i = 0; i < 20; i++) {
            frame(repeats, ROCK);
        }
        RepeatDetections restarted = new RepeatDetections(new FileSystemBlobStore(dir), MEGADETECTOR);
        assertEquals(1, restarted.classify("cam-7", List.of(ROCK), Instant.now()).suppressed().size(), "known after a restart");

        String place = restarted.review("cam-7").get(0).id();
        assertTrue(restarted.allow("cam-7", place).orElseThrow().allowed());
        assertEquals(List.of(ROCK), restarted.classify("cam-7", List.of(ROCK), Instant.now()).kept(), "a bird on its nest");
        assertTrue(restarted.allow("cam-7", "no-such-place").isEmpty());
    }
}
