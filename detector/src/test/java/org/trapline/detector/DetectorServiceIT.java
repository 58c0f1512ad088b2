package org.trapline.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

import javax.imageio.ImageIO;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.blob.BlobKeys;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.ingest.IngestComponents;
import org.trapline.catalog.Camera;
import org.trapline.catalog.Site;
import org.trapline.ingest.frames.FrameIngestor;
import org.trapline.schema.BlobRef;
import org.trapline.schema.DeadLetter;
import org.trapline.schema.Detection;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.Frame;
import org.trapline.schema.FrameDetections;
import org.trapline.testsupport.junit.TestStack;
import org.trapline.testsupport.junit.TestStackExtension;
import org.trapline.localstack.samples.SharedData;
import org.trapline.testsupport.kafka.TopicReader;
import org.trapline.topics.TopicSetup;
import org.trapline.topics.Topics;

/** Frames published by ingest, with their blobs, through the real detector, broker and registry. */
@ExtendWith(TestStackExtension.class)
class DetectorServiceIT {

    @Test
    void framesAreDetectedEmptiedRedactedOrDeadLetteredExactlyOnce(TestStack stack, @TempDir Path dataDir) throws Exception {
        SharedData shared = SharedData.locate();
        String camera = "det-cam-" + UUID.randomUUID();
        Map<String, String> settings = new HashMap<>(stack.config(dataDir));
        settings.putAll(Map.of("models.dir", shared.models().toString(), "detector.http.port", "0",
                "detector.instance.id", "it-" + camera, "ingest.catalog.file", dataDir.resolve("catalog.json").toString()));
        TraplineConfig config = TraplineConfig.of(settings);
        new TopicSetup(config).run();

        Frame dogCat;
        Frame empty;
        Frame person;
        Frame unreadable;
        try (IngestComponents ingest = IngestComponents.create(config, "detector-it")) {
            ingest.catalog().putSite(new Site("camp", "Camp", null, null, null));
            ingest.catalog().putCamera(new Camera(camera, "camp", null, null, 0));
            dogCat = upload(ingest, camera, shared.images().resolve("animals/dog-cat.jpg"));
            empty = upload(ingest, camera, shared.images().resolve("camera-traps-empty/empty-savanna-hills.jpg"));
            person = upload(ingest, camera, SharedData.fetched("astronaut.png"));
            // a frame whose stored bytes are not a picture, and a record that is not a frame at all
            byte[] garbage = "not a picture at all".getBytes(StandardCharsets.UTF_8);
            ingest.blobs().put(BlobKeys.content(BlobKeys.sha256(garbage)), garbage);
            unreadable = Frame.newBuilder(dogCat).setFrameId(UUID.randomUUID().toString())
                    .setBlob(new BlobRef("fs", BlobKeys.content(BlobKeys.sha256(garbage)), (long) garbage.length)).build();
            try (var producer = new KafkaProducer<>(new KafkaClientSettings(config).producer("detector-it", null),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(Topics.FRAMES.name(), camera.getBytes(StandardCharsets.UTF_8),
                        Topics.FRAMES.valueSerde(config).serializer().serialize(Topics.FRAMES.name(), unreadable))).get();
                producer.send(new ProducerRecord<>(Topics.FRAMES.name(), camera.getBytes(StandardCharsets.UTF_8),
                        "{\"frameId\": \"json is not avro\"}".getBytes(StandardCharsets.UTF_8))).get();
            }
        }
        Path blobs = dataDir.resolve("blobs");

        try (DetectorService detector = DetectorService.start(config)) {
            Map<String, FrameDetections> byFrame = detectionsOf(config, camera, person.getFrameId());

            FrameDetections animals = byFrame.get(dogCat.getFrameId());
            assertEquals(List.of("dog", "cat"), animals.getDetections().stream().map(Detection::getLabel).toList());
            assertTrue(animals.getDetections().stream().allMatch(d -> d.getCategory() == DetectionCategory.ANIMAL));
            assertFalse(animals.getEmpty());
            assertFalse(animals.getRedacted());
            assertEquals(dogCat.getBlob(), animals.getBlob());
            assertEquals("yolox-nano-coco", animals.getModel().getName());

            FrameDetections blank = byFrame.get(empty.getFrameId());
            assertTrue(blank.getEmpty(), "an empty frame is published as empty");
            assertEquals(List.of(), blank.getDetections());

            FrameDetections redacted = byFrame.get(person.getFrameId());
            assertTrue(redacted.getRedacted());
            assertTrue(redacted.getDetections().stream().noneMatch(d -> d.getCategory() == DetectionCategory.PERSON),
                    "no person box goes further");
            assertNotEquals(person.getBlob().getUri(), redacted.getBlob().getUri(), "downstream sees another image");
            BufferedImage original = ImageIO.read(SharedData.fetched("astronaut.png").toFile());
            BufferedImage shown = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(blobs.resolve(redacted.getBlob().getUri()))));
            assertEquals(original.getWidth(), shown.getWidth());
            assertTrue(meanDifference(original, shown, 0.45, 0.25, 0.2, 0.2) > 12, "the face is no longer the face");
            awaitTrue(() -> !Files.exists(blobs.resolve(person.getBlob().getUri())), "the original leaves the blob store");

            List<DeadLetter> letters = deadLettersOf(config, l -> l.getService().equals("detector")
                    && new String(l.getKey().array(), StandardCharsets.UTF_8).equals(camera), 2);
            assertTrue(letters.stream().anyMatch(l -> l.getReason().contains("cannot be decoded")), letters.toString());
            assertTrue(letters.stream().anyMatch(l -> l.getReason().contains("not in the schema registry wire format")),
                    letters.toString());

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> review = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + detector.port()
                    + "/api/repeat-detections?camera=" + camera)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, review.statusCode());
            assertEquals("[]", review.body(), "four frames: no place has recurred yet");
            assertEquals(403, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + detector.port()
                    + "/api/repeat-detections/" + camera + "/some-place/allow")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "allowing a place takes an operator's key");

            HttpResponse<String> export = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + detector.port()
                    + "/api/exports/megadetector?site=camp&from=2026-03-14T00:00:00Z&to=2026-03-15T00:00:00Z")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, export.statusCode(), export.body());
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(export.body());
            assertEquals("1.4", json.get("info").get("format_version").asText());
            assertEquals("animal", json.get("detection_categories").get("1").asText());
            Map<String, com.fasterxml.jackson.databind.JsonNode> files = new HashMap<>();
            json.get("images").forEach(image -> files.put(image.get("file").asText(), image));
            var dogCatEntry = files.get(camera + "/dog-cat.jpg");
            assertEquals(2, dogCatEntry.get("detections").size(), export.body());
            assertEquals("1", dogCatEntry.get("detections").get(0).get("category").asText());
            assertEquals(4, dogCatEntry.get("detections").get(0).get("bbox").size());
            assertEquals(0, files.get(camera + "/empty-savanna-hills.jpg").get("detections").size(), "empty, listed");
            assertTrue(!export.body().contains("\"category\":\"2\""), "no person is ever exported");
            assertEquals(400, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + detector.port()
                    + "/api/exports/megadetector")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());

            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + detector.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("trapline_detector_frames_total{outcome=\"redacted\"}"), "frame counters");
            assertTrue(metrics.contains("trapline_detector_inference_seconds_bucket"), "an inference latency histogram");
        }

        // a restarted detector goes on where the committed offsets say: nothing is detected twice
        try (DetectorService again = DetectorService.start(config);
             IngestComponents ingest = IngestComponents.create(config, "detector-it")) {
            Frame later = upload(ingest, camera, shared.images().resolve("camera-traps/nacti.jpg"));
            List<FrameDetections> all = allDetectionsOf(config, camera, later.getFrameId());
            assertEquals(4, all.size(), "one result for each of the four frames: " + all.stream().map(FrameDetections::getFrameId).toList());
            assertEquals(4, all.stream().map(FrameDetections::getFrameId).distinct().count());
        }
    }

    static Frame upload(IngestComponents ingest, String camera, Path image) throws Exception {
        return ingest.frames().ingest(FrameIngestor.Upload.image(camera, null, Files.readAllBytes(image),
                image.getFileName().toString(), Optional.of(Instant.parse("2026-03-14T05:42:17Z")))).frame();
    }

    static Map<String, FrameDetections> detectionsOf(TraplineConfig config, String camera, String last) {
        Map<String, FrameDetections> byFrame = new HashMap<>();
        allDetectionsOf(config, camera, last).forEach(d -> byFrame.put(d.getFrameId(), d));
        return byFrame;
    }

    /** The camera's detections until the one of frame {@code last} (a camera keeps its partition and order). */
    static List<FrameDetections> allDetectionsOf(TraplineConfig config, String camera, String last) {
        List<FrameDetections> found = TopicReader.readUntil(new KafkaClientSettings(config).consumer("detections", "detector-it"),
                        Topics.DETECTIONS.name(), new StringDeserializer(), Topics.DETECTIONS.valueSerde(config).deserializer(),
                        r -> camera.equals(r.key()), read -> read.stream().anyMatch(r -> r.value().getFrameId().equals(last)),
                        Duration.ofSeconds(90))
                .stream().map(r -> r.value()).toList();
        assertTrue(found.stream().anyMatch(d -> d.getFrameId().equals(last)), "no detections for frame " + last);
        return found;
    }

    static List<DeadLetter> deadLettersOf(TraplineConfig config, Predicate<DeadLetter> mine, int expected) {
        List<DeadLetter> letters = TopicReader.readUntil(new KafkaClientSettings(config).consumer("letters", "detector-it"),
                        Topics.DEAD_LETTERS.name(), new StringDeserializer(), Topics.DEAD_LETTERS.valueSerde(config).deserializer(),
                        r -> mine.test(r.value()), read -> read.size() >= expected, Duration.ofSeconds(30))
                .stream().map(r -> r.value()).toList();
        assertEquals(expected, letters.size(), letters.toString());
        return letters;
    }

    /** Mean absolute difference of the two images' pixels in a region given in image fractions. */
    static double meanDifference(BufferedImage a, BufferedImage b, double x, double y, double w, double h) {
        int x0 = (int) (x * a.getWidth());
        int y0 = (int) (y * a.getHeight());
        int[] pa = a.getRGB(x0, y0, (int) (w * a.getWidth()), (int) (h * a.getHeight()), null, 0, (int) (w * a.getWidth()));
        int[] pb = b.getRGB(x0, y0, (int) (w * a.getWidth()), (int) (h * a.getHeight()), null, 0, (int) (w * a.getWidth()));
        long sum = 0;
        for (int i = 0; i < pa.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                sum += Math.abs(((pa[i] >> shift) & 0xff) - ((pb[i] >> shift) & 0xff));
            }
        }
        return sum / (pa.length * 3.0);
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
