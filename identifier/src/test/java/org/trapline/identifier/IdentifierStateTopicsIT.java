package org.trapline.identifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.schema.CameraSequence;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.IndividualChange;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.SampleRecords;
import org.trapline.schema.Sighting;
import org.trapline.testsupport.junit.TestStack;
import org.trapline.testsupport.junit.TestStackExtension;
import org.trapline.localstack.samples.SharedData;
import org.trapline.topics.Topic;
import org.trapline.topics.TopicSetup;
import org.trapline.topics.TopicSnapshot;
import org.trapline.topics.Topics;

/**
 * The identifier's own state topics ({@code individuals}, {@code review-queue}, {@code camera-sequences}),
 * read whole on every start, with poison among their good records: records not in the wire format, with an
 * unknown schema id, with a truncated body, of another schema. The identifier must start, leave each bad
 * record out of its state (it logs it; a dead letter would be written again at every start) and keep every
 * good one: the individual in its gallery, the sighting in its review queue, the camera's open event.
 */
@ExtendWith(TestStackExtension.class)
class IdentifierStateTopicsIT {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final byte[] JSON_VALUE = "{\"individualId\": \"json is not avro\"}".getBytes(StandardCharsets.UTF_8);
    /** The wire format's magic byte, then schema id 2130711092, which the registry never gave out. */
    static final byte[] UNKNOWN_SCHEMA_ID = {0, 0x7f, 0x00, 0x12, 0x34, 2, 4, 6, 8};

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String camera = "state-cam-" + run;
    final ObjectMapper json = new ObjectMapper();

    @Test
    void poisonOnTheStateTopicsIsLeftOutAndEveryGoodRecordKept(TestStack stack, @TempDir Path dataDir) throws Exception {
        Map<String, String> settings = new HashMap<>(stack.config(dataDir));
        settings.put("identifier.http.port", "0");
        settings.put("identifier.default.mode", "marked");  // the next frame continues the event as a marked species would
        settings.put("models.dir", SharedData.locate().models().toString());
        TraplineConfig config = TraplineConfig.of(settings);
        new TopicSetup(config).run();

        FrameDetections detections = SampleRecords.detections(SampleRecords.frame(camera));
        Sighting sample = SampleRecords.sighting(detections);
        Sighting queued = Sighting.newBuilder(sample).setSightingId("state-sighting-" + run).setIndividualId(null).build();
        IndividualUpdate individual = IndividualUpdate.newBuilder(SampleRecords.individual(sample))
                .setIndividualId("state-individual-" + run).setChange(IndividualChange.CREATED)
                .setReferences(List.of()).build();
        Instant last = SampleRecords.CAPTURED;
        CameraSequence open = new CameraSequence(camera, "state-event-" + run, last.minusSeconds(60), last, 3, List.of());

        try (var producer = new KafkaProducer<>(new KafkaClientSettings(config).producer("state-topics-it-" + run, null),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            poisonThenGood(config, producer, Topics.INDIVIDUALS, individual.getIndividualId(), individual, queued);
            poisonThenGood(config, producer, Topics.REVIEW_QUEUE, queued.getSightingId(), queued, individual);
            poisonThenGood(config, producer, Topics.CAMERA_SEQUENCES, camera, open, queued);
        }

        try (IdentifierService identifier = IdentifierService.start(config)) {
            String base = "http://127.0.0.1:" + identifier.port();
            assertTrue(identifier.alive(), "the identifier's loop runs after reading the poisoned topics");
            JsonNode kept = get(base + "/api/individuals/" + individual.getIndividualId());
            assertEquals("Stripes", kept.get("name").asText(), kept.toString());
            JsonNode review = get(base + "/api/review");
            assertTrue(review.toString().contains(queued.getSightingId()), "the queued sighting is in review: " + review);

            // an empty frame of the camera 10 s after its event's last frame continues that event
            FrameDetections next = FrameDetections.newBuilder(detections).setFrameId("state-frame-" + run)
                    .setCaptureTime(last.plusSeconds(10)).setDetections(List.of()).setEmpty(true).build();
            try (var producer = new KafkaProducer<>(new KafkaClientSettings(config).producer("state-topics-it-" + run, null),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                send(producer, Topics.DETECTIONS.name(), camera, Topics.DETECTIONS.valueSerde(config).serializer()
                        .serialize(Topics.DETECTIONS.name(), next));
            }
            CameraSequence continued = awaitSequence(config, 4);
            assertEquals(open.getEventId(), continued.getEventId(), "the restored event goes on");
            assertTrue(identifier.alive());
        }
    }

    /** Four kinds of poison on the topic under the key, then the good record under the same key (it must win). */
    <V extends org.apache.avro.specific.SpecificRecord> void poisonThenGood(TraplineConfig config, KafkaProducer<byte[], byte[]> producer, Topic<String, V> topic, String key,
                            V good, Object ofAnotherSchema) throws Exception {
        byte[] encoded = topic.valueSerde(config).serializer().serialize(topic.name(), good);
        byte[] other = encodeOnItsOwnTopic(config, ofAnotherSchema);
        for (byte[] poison : List.of(JSON_VALUE, UNKNOWN_SCHEMA_ID, Arrays.copyOf(encoded, 5 + (encoded.length - 5) / 2), other)) {
            send(producer, topic.name(), key, poison);
        }
        // poison under keys of their own too, so that compaction's "latest wins" cannot hide them
        send(producer, topic.name(), key + "-poison", JSON_VALUE);
        send(producer, topic.name(), key, encoded);
    }

    /** A record as its own topic holds it (registered under that topic's subject), to be sent where it does not belong. */
    static byte[] encodeOnItsOwnTopic(TraplineConfig config, Object value) {
        return switch (value) {
            case Sighting sighting -> Topics.SIGHTINGS.valueSerde(config).serializer().serialize(Topics.SIGHTINGS.name(), sighting);
            case IndividualUpdate update -> Topics.INDIVIDUALS.valueSerde(config).serializer().serialize(Topics.INDIVIDUALS.name(), update);
            default -> throw new IllegalArgumentException("no topic for " + value.getClass());
        };
    }

    static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
    }

    /** The camera's latest sequence once it has counted {@code frames} frames; fails at the deadline. */
    CameraSequence awaitSequence(TraplineConfig config, int frames) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            CameraSequence latest = TopicSnapshot.latest(new KafkaClientSettings(config), "state-topics-it-reader",
                    Topics.CAMERA_SEQUENCES.name(), Topics.CAMERA_SEQUENCES.valueSerde(config).deserializer(),
                    Duration.ofSeconds(30), (record, error) -> { }).get(camera);
            if (latest != null && latest.getFrames() >= frames) {
                return latest;
            }
            assertTrue(System.nanoTime() < deadline, "the camera's event did not go on within " + WAIT + ": " + latest);
            Thread.sleep(250);  // between looks at the topic; the deadline above bounds the wait
        }
    }

    JsonNode get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url + ": " + response.body());
        return json.readTree(response.body());
    }
}
