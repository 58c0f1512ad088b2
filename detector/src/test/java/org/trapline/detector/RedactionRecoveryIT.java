package org.trapline.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.trapline.config.TraplineConfig;
import org.trapline.detector.redact.Redactor;
import org.trapline.ingest.IngestComponents;
import org.trapline.catalog.Camera;
import org.trapline.catalog.Site;
import org.trapline.schema.Frame;
import org.trapline.schema.FrameDetections;
import org.trapline.testsupport.junit.TestStack;
import org.trapline.testsupport.junit.TestStackExtension;
import org.trapline.localstack.samples.SharedData;
import org.trapline.topics.TopicSetup;

/**
 * A detector that dies after committing a redacted frame and before taking its original out of the
 * store: the next detector to own the partition finishes the job, so the picture of a person does not
 * stay readable.
 */
@ExtendWith(TestStackExtension.class)
class RedactionRecoveryIT {

    /** Stands for the process dying: the loop stops where it is, nothing after the commit runs. */
    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash() {
            super("simulated crash between the commit and the removal of the original");
        }
    }

    @ParameterizedTest
    @EnumSource(Redactor.Mode.class)
    void aRedactionCutShortByACrashIsCompletedByTheNextOwner(Redactor.Mode mode, TestStack stack, @TempDir Path dataDir)
            throws Exception {
        SharedData shared = SharedData.locate();
        String camera = "crash-cam-" + UUID.randomUUID();
        Map<String, String> settings = new HashMap<>(stack.config(dataDir));
        settings.putAll(Map.of("models.dir", shared.models().toString(), "detector.http.port", "0",
                "detector.instance.id", "it-" + camera, "ingest.catalog.file", dataDir.resolve("catalog.json").toString(),
                "detector.redaction", mode.name().toLowerCase()));
        TraplineConfig config = TraplineConfig.of(settings);
        new TopicSetup(config).run();
        Path blobs = dataDir.resolve("blobs");

        Frame person;
        try (IngestComponents ingest = IngestComponents.create(config, "recovery-it")) {
            ingest.catalog().putSite(new Site("camp", "Camp", null, null, null));
            ingest.catalog().putCamera(new Camera(camera, "camp", null, null, 0));
            person = DetectorServiceIT.upload(ingest, camera, SharedData.fetched("astronaut.png"));
        }
        Path original = blobs.resolve(person.getBlob().getUri());

        CountDownLatch crashed = new CountDownLatch(1);
        try (DetectorService detector = DetectorService.start(config, redacted -> {
            if (redacted.contains(person.getFrameId())) {
                crashed.countDown();
                throw new SimulatedCrash();
            }
        })) {
            assertTrue(crashed.await(90, TimeUnit.SECONDS), "the person's frame was committed");
        }
        FrameDetections committed = DetectorServiceIT.detectionsOf(config, camera, person.getFrameId()).get(person.getFrameId());
        assertTrue(committed.getRedacted(), "the redacted result is committed");
        assertTrue(Files.exists(original), "the crash left the original with a person in the store");

        try (DetectorService next = DetectorService.start(config);
             IngestComponents ingest = IngestComponents.create(config, "recovery-it")) {
            Frame later = DetectorServiceIT.upload(ingest, camera, shared.images().resolve("camera-traps/nacti.jpg"));
            // a later frame's result means the partitions were assigned, which is when the sweep runs
            List<FrameDetections> all = DetectorServiceIT.allDetectionsOf(config, camera, later.getFrameId());
            assertFalse(Files.exists(original), "the next owner took the original out");
            if (mode == Redactor.Mode.RESTRICT) {
                assertTrue(Files.exists(blobs.resolve("restricted").resolve(person.getBlob().getUri())),
                        "where only operators read it");
            }
            assertTrue(Files.exists(blobs.resolve(committed.getBlob().getUri())), "the redacted copy stays");
            assertEquals(List.of(person.getFrameId(), later.getFrameId()), all.stream().map(FrameDetections::getFrameId).toList(),
                    "and each frame's result once: the crash came after the commit");
        }
    }
}
