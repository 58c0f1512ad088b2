package org.trapline.identifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.trapline.blob.BlobKeys;
import org.trapline.blob.BlobStore;
import org.trapline.blob.BlobStores;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.schema.BlobRef;
import org.trapline.schema.BoundingBox;
import org.trapline.schema.Detection;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.ModelInfo;
import org.trapline.schema.Sighting;
import org.trapline.testsupport.kafka.TopicReader;
import org.trapline.topics.Topics;

/**
 * Feeds an identifier under test as the detector would (each photo's bytes in the blob store, its
 * {@link FrameDetections} on {@code detections}, one camera of its own per test run), reads the sightings it
 * publishes, and speaks to its HTTP API. Frame ids are made unique per run; tests name them f1, f2, …
 */
final class IdentifierFeed {

    static final BoundingBox WHOLE = new BoundingBox(0f, 0f, 1f, 1f);

    final TraplineConfig config;
    final BlobStore blobs;
    final String camera = "reef-cam-" + UUID.randomUUID();
    final String site;
    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    IdentifierFeed(TraplineConfig config, String site) throws IOException {
        this.config = config;
        this.blobs = BlobStores.fromConfig(config);
        this.site = site;
    }

    /** The run's id of a frame or sighting the test calls f1, f1:0, … */
    String id(String shortId) {
        return camera + "-" + shortId;
    }

    /** A frame of this camera showing the photo, one animal of {@code species} in each box. */
    FrameDetections frame(String name, Path photo, Instant time, String species, BoundingBox... boxes) throws Exception {
        byte[] bytes = Files.readAllBytes(photo);
        String key = BlobKeys.content(BlobKeys.sha256(bytes));
        blobs.put(key, bytes);
        BufferedImage image = ImageIO.read(photo.toFile());
        List<Detection> detections = new ArrayList<>();
        for (BoundingBox box : boxes) {
            detections.add(new Detection(DetectionCategory.ANIMAL, species, 0.9f, box));
        }
        return FrameDetections.newBuilder()
                .setFrameId(id(name))
                .setSiteId(site)
                .setCameraId(camera)
                .setCaptureTime(time)
                .setBlob(new BlobRef("fs", key, (long) bytes.length))
                .setWidth(image.getWidth())
                .setHeight(image.getHeight())
                .setModel(new ModelInfo("yolox-nano-coco", "1"))
                .setDetections(detections)
                .setEmpty(false)
                .setRedacted(false)
                .setProcessedTime(time.plusSeconds(1))
                .build();
    }

    void publish(FrameDetections frame) throws Exception {
        try (var producer = new KafkaProducer<>(new KafkaClientSettings(config).producer("identifier-it", null),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.DETECTIONS.name(), camera.getBytes(StandardCharsets.UTF_8),
                    Topics.DETECTIONS.valueSerde(config).serializer().serialize(Topics.DETECTIONS.name(), frame))).get();
        }
    }

    /** The latest sighting published under this id that satisfies {@code state}, waited for. */
    Sighting awaitSighting(String shortId, Predicate<Sighting> state) {
        String sightingId = id(shortId);
        List<Sighting> read = sightingsOfCamera(all -> all.stream().anyMatch(s -> s.getSightingId().equals(sightingId)
                && state.test(s)), Duration.ofSeconds(90));
        List<Sighting> mine = read.stream().filter(s -> s.getSightingId().equals(sightingId) && state.test(s)).toList();
        assertTrue(!mine.isEmpty(), "no sighting " + sightingId + " in " + read.stream().map(Sighting::getSightingId).toList());
        return mine.get(mine.size() - 1);
    }

    List<Sighting> sightingsOfCamera(Predicate<List<Sighting>> done, Duration timeout) {
        return TopicReader.readUntil(new KafkaClientSettings(config).consumer("sightings", "identifier-it"),
                        Topics.SIGHTINGS.name(), new StringDeserializer(), Topics.SIGHTINGS.valueSerde(config).deserializer(),
                        r -> camera.equals(r.value().getCameraId()),
                        records -> done.test(records.stream().map(r -> r.value()).toList()), timeout)
                .stream().map(r -> r.value()).toList();
    }

    JsonNode get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url + ": " + response.body());
        return json.readTree(response.body());
    }

    HttpResponse<String> send(String method, String url, String body, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (key != null) {
            request.header("X-Api-Key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(n -> values.add(n.asText()));
        return values;
    }
}
