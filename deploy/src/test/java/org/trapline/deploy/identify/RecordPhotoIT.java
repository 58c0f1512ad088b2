package org.trapline.deploy.identify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.auth.ApiKeys;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.identifier.IdentifierService;
import org.trapline.ingest.IngestService;
import org.trapline.testsupport.junit.TestStack;
import org.trapline.testsupport.junit.TestStackExtension;
import org.trapline.localstack.samples.SharedData;
import org.trapline.topics.TopicSnapshot;
import org.trapline.topics.Topics;

/**
 * Identify a photo and record it: {@code POST /api/identify?record=true&camera=C} answers who may be on it and
 * hands the photo to ingest with the caller's key, the one door every image takes (checked, kept, its frame on
 * {@code frames}, people redacted downstream), on the real broker and registry. Recorded twice, it is one frame;
 * ingest's refusals come back as they are; the identifier itself publishes nothing.
 */
@ExtendWith(TestStackExtension.class)
class RecordPhotoIT {

    static final String RANGER_KEY = ApiKeys.newKey();

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String camera = "record-cam-" + run;
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    @Test
    void aRecordedPhotoGoesInThroughIngestOnce(TestStack stack, @TempDir Path dataDir) throws Exception {
        SharedData shared = SharedData.locate();
        Path catalog = dataDir.resolve("catalog.json");
        Files.writeString(catalog, """
                {"sites": [{"id": "record-site-%s", "name": "Recorded photos", "timeZone": "UTC"}],
                 "cameras": [{"id": "%s", "siteId": "record-site-%s"}]}
                """.formatted(run, camera, run));
        Map<String, String> settings = new HashMap<>(stack.config(dataDir));
        settings.putAll(Map.of(
                "models.dir", shared.models().toString(),
                "ingest.http.port", "0",
                "ingest.catalog.file", catalog.toString(),
                "ingest.operator.ranger.key.sha256", ApiKeys.hash(RANGER_KEY),
                "identifier.http.port", "0",
                "identifier.instance.id", "record-" + run));
        TraplineConfig config = TraplineConfig.of(settings);
        byte[] photo = Files.readAllBytes(shared.images().resolve("animals/dog.jpg"));

        try (IngestService ingest = IngestService.start(config);
             IdentifierService identifier = IdentifierService.start(
                     config.with("identifier.ingest.url", "http://127.0.0.1:" + ingest.port()))) {
            String identify = "http://127.0.0.1:" + identifier.port() + "/api/identify?record=true&camera=" + camera;
            long sightingsBefore = count(config, Topics.SIGHTINGS.name());

            HttpResponse<String> first = post(identify, photo, RANGER_KEY);
            assertEquals(200, first.statusCode(), first.body());
            JsonNode recorded = json.readTree(first.body()).get("recorded");
            assertEquals(201, recorded.get("ingestStatus").asInt(), recorded.toString());
            String frameId = recorded.get("frameId").asText();
            assertEquals(camera, recorded.get("camera").asText());
            assertTrue(json.readTree(first.body()).get("candidates").isArray(), "the identification is answered too");

            HttpResponse<String> again = post(identify, photo, RANGER_KEY);
            assertEquals(200, again.statusCode(), again.body());
            JsonNode recordedAgain = json.readTree(again.body()).get("recorded");
            assertEquals(200, recordedAgain.get("ingestStatus").asInt(), "ingest knows the photo: " + recordedAgain);
            assertEquals(frameId, recordedAgain.get("frameId").asText());
            assertTrue(recordedAgain.get("ingest").get("duplicate").asBoolean());

            List<String> frames = new ArrayList<>();
            TopicSnapshot.readAll(new KafkaClientSettings(config), "record-it", Topics.FRAMES.name(),
                    Topics.FRAMES.valueSerde(config).deserializer(), Duration.ofSeconds(30), (r, e) -> { },
                    (key, frame) -> {
                        if (frame.getCameraId().equals(camera)) {
                            frames.add(frame.getFrameId());
                        }
                    });
            assertEquals(List.of(frameId), frames, "one frame on 'frames' for the photo recorded twice");

            HttpResponse<String> badKey = post(identify, photo, "tl_not-a-key-" + run);
            assertEquals(401, badKey.statusCode(), badKey.body());
            assertTrue(badKey.body().contains("ingest refused to record the photo: unknown API key"), badKey.body());
            HttpResponse<String> ghost = post(identify.replace(camera, "ghost-" + run), photo, RANGER_KEY);
            assertEquals(422, ghost.statusCode(), ghost.body());
            assertTrue(ghost.body().contains("unknown camera 'ghost-" + run + "'"), ghost.body());

            assertEquals(sightingsBefore, count(config, Topics.SIGHTINGS.name()),
                    "the identifier published no sighting of its own (no detector runs here to pass the frame on)");
        }
    }

    HttpResponse<String> post(String url, byte[] body, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("X-Api-Key", key)
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static long count(TraplineConfig config, String topic) {
        long[] n = {0};
        TopicSnapshot.readAll(new KafkaClientSettings(config), "record-it-count", topic,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(), Duration.ofSeconds(30), (r, e) -> { },
                (key, value) -> n[0]++);
        return n[0];
    }
}
