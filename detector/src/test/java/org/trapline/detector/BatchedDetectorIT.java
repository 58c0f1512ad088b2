package org.trapline.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.blob.BlobKeys;
import org.trapline.config.TraplineConfig;
import org.trapline.detector.model.DynamicBatchYolox;
import org.trapline.ingest.IngestComponents;
import org.trapline.catalog.Camera;
import org.trapline.catalog.Site;
import org.trapline.schema.BlobRef;
import org.trapline.schema.DeadLetter;
import org.trapline.schema.Detection;
import org.trapline.schema.Frame;
import org.trapline.schema.FrameDetections;
import org.trapline.testsupport.junit.TestStack;
import org.trapline.testsupport.junit.TestStackExtension;
import org.trapline.localstack.samples.SharedData;
import org.trapline.topics.TopicSetup;

/**
 * The service with several frames per inference call, on a dynamic-batch copy of the shipped network:
 * each frame's result is its own, an unreadable frame in the middle of a batch included.
 */
@ExtendWith(TestStackExtension.class)
class BatchedDetectorIT {

    @Test
    void framesBatchedIntoOneCallEachGetTheirOwnResult(TestStack stack, @TempDir Path dataDir) throws Exception {
        SharedData shared = SharedData.locate();
        Path model = DynamicBatchYolox.write(shared.models().resolve("yolox-nano-coco.onnx"), dataDir.resolve("yolox-nano-dynamic.onnx"));
        String camera = "batch-cam-" + UUID.randomUUID();
        Map<String, String> settings = new HashMap<>(stack.config(dataDir));
        settings.putAll(Map.of("models.dir", shared.models().toString(), "detector.model.path", model.toString(),
                "detector.batch.size", "4", "detector.http.port", "0", "detector.instance.id", "it-" + camera,
                "ingest.catalog.file", dataDir.resolve("catalog.json").toString()));
        TraplineConfig config = TraplineConfig.of(settings);
        new TopicSetup(config).run();

        List<Frame> frames = new ArrayList<>();
        try (IngestComponents ingest = IngestComponents.create(config, "batch-it")) {
            ingest.catalog().putSite(new Site("camp", "Camp", null, null, null));
            ingest.catalog().putCamera(new Camera(camera, "camp", null, null, 0));
            frames.add(DetectorServiceIT.upload(ingest, camera, shared.images().resolve("animals/dog-cat.jpg")));
            frames.add(DetectorServiceIT.upload(ingest, camera, shared.images().resolve("camera-traps-empty/empty-savanna-hills.jpg")));
            byte[] garbage = ("not a picture " + camera).getBytes(StandardCharsets.UTF_8);
            ingest.blobs().put(BlobKeys.content(BlobKeys.sha256(garbage)), garbage);
            Frame unreadable = Frame.newBuilder(frames.get(0)).setFrameId(UUID.randomUUID().toString())
                    .setBlob(new BlobRef("fs", BlobKeys.content(BlobKeys.sha256(garbage)), (long) garbage.length)).build();
            ingest.producer().send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                    org.trapline.topics.Topics.FRAMES.name(), camera, unreadable)).get();
            frames.add(unreadable);
            frames.add(DetectorServiceIT.upload(ingest, camera, SharedData.fetched("astronaut.png")));
            frames.add(DetectorServiceIT.upload(ingest, camera, shared.images().resolve("camera-traps/nacti.jpg")));
            frames.add(DetectorServiceIT.upload(ingest, camera, shared.images().resolve("camera-traps/pheasant_web.jpg")));
        }

        try (DetectorService detector = DetectorService.start(config)) {
            List<FrameDetections> all = DetectorServiceIT.allDetectionsOf(config, camera, frames.get(5).getFrameId());
            Map<String, FrameDetections> byFrame = new HashMap<>();
            all.forEach(d -> byFrame.put(d.getFrameId(), d));
            assertEquals(List.of("dog", "cat"), byFrame.get(frames.get(0).getFrameId()).getDetections().stream()
                    .map(Detection::getLabel).toList());
            assertTrue(byFrame.get(frames.get(1).getFrameId()).getEmpty(), "the empty frame");
            assertTrue(byFrame.get(frames.get(3).getFrameId()).getRedacted(), "the astronaut");
            assertEquals(List.of("bird"), byFrame.get(frames.get(5).getFrameId()).getDetections().stream()
                    .map(Detection::getLabel).toList(), "the pheasant, last, alone in its batch");
            assertTrue(byFrame.get(frames.get(4).getFrameId()).getDetections().stream()
                    .anyMatch(d -> d.getLabel().equals("bird")), "the nacti frame's bird");
            assertEquals(List.of(0, 1, 3, 4, 5).stream().map(i -> frames.get(i).getFrameId()).toList(),
                    all.stream().map(FrameDetections::getFrameId).toList(), "every readable frame once, in order");
            List<DeadLetter> letters = DetectorServiceIT.deadLettersOf(config, l -> l.getService().equals("detector")
                    && new String(l.getKey().array(), StandardCharsets.UTF_8).equals(camera), 1);
            assertTrue(letters.get(0).getReason().contains("cannot be decoded"), letters.toString());
            // six frames, four to a call, the unreadable one left out of its batch: two calls, not five
            assertEquals(2, detector.metrics().get("trapline.detector.inference").timer().count());
        }
    }
}
