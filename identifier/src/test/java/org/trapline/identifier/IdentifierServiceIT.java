package org.trapline.identifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.auth.ApiKeys;
import org.trapline.blob.BlobKeys;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.identifier.match.LocalFeatureMatcher;
import org.trapline.identifier.match.Matcher;
import org.trapline.schema.BlobRef;
import org.trapline.schema.BoundingBox;
import org.trapline.schema.DeadLetter;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.MatchDecision;
import org.trapline.schema.Sighting;
import org.trapline.testsupport.junit.TestStack;
import org.trapline.testsupport.junit.TestStackExtension;
import org.trapline.testsupport.kafka.TopicReader;
import org.trapline.localstack.samples.SharedData;
import org.trapline.topics.TopicSetup;
import org.trapline.topics.Topics;

/**
 * The identifier on the real broker and registry with the real local-feature matcher on the shared manta
 * photos: sightings decided, a grey-zone match reviewed, a merge and a split that change whom later
 * sightings are given to, two animals of one frame kept apart, a restart that rebuilds the gallery and
 * continues the camera's event, and what cannot be read dead-lettered.
 */
@ExtendWith(TestStackExtension.class)
class IdentifierServiceIT {

    static final String OPERATOR_KEY = ApiKeys.newKey();
    static final Instant T0 = Instant.parse("2026-05-02T09:00:00Z");
    static final BoundingBox WHOLE = IdentifierFeed.WHOLE;

    TraplineConfig config;
    IdentifierFeed feed;

    @Test
    void sightingsFollowTheReviewLoopAndSurviveARestart(TestStack stack, @TempDir Path dataDir) throws Exception {
        Path mantas = SharedData.locate().images().resolve("reid-manta");
        Path candyRef = mantas.resolve("database").resolve(bestCandyReference(mantas));
        Path candyQuery = mantas.resolve("test/candy-test-02.png");
        Path april = mantas.resolve("test/april-test-01.png");

        // thresholds placed around real scores of this matcher: same manta in the grey zone, another manta
        // below it, the very same photo above the match threshold
        LocalFeatureMatcher probe = new LocalFeatureMatcher(LocalFeatureMatcher.Settings.defaults());
        probe.enrol("candy", read(candyRef));
        float same = score(probe, candyQuery, "candy");
        float identical = score(probe, candyRef, "candy");
        probe.enrol("candy-query", read(candyQuery));
        float cross = Math.max(score(probe, april, "candy"), score(probe, april, "candy-query"));
        assertTrue(cross < same && same < identical, "scores: other " + cross + ", same manta " + same + ", same photo " + identical);
        float review = (cross + same) / 2;
        float match = (same + identical) / 2;
        System.out.printf("local-feature scores: another manta %.0f, the same manta %.0f, the same photo %.0f;"
                + " review from %.1f, match from %.1f%n", cross, same, identical, review, match);

        Map<String, String> settings = new HashMap<>(stack.config(dataDir));
        settings.putAll(Map.of(
                "models.dir", SharedData.locate().models().toString(),
                "identifier.http.port", "0",
                "identifier.species.manta.matchers", "local-features",
                "identifier.matcher.local-features.match", Float.toString(match),
                "identifier.matcher.local-features.review", Float.toString(review),
                "ingest.operator.amara.key.sha256", ApiKeys.hash(OPERATOR_KEY)));
        config = TraplineConfig.of(settings);
        new TopicSetup(config).run();
        feed = new IdentifierFeed(config, "reef");
        String camera = feed.camera;
        HttpClient http = feed.http;

        String individualX;
        String individualZ;
        Sighting beforeRestart;
        int queuedBeforeRestart;
        try (IdentifierService identifier = IdentifierService.start(config)) {
            String base = "http://127.0.0.1:" + identifier.port();
            feed.publish(feed.frame("f1", candyRef, T0, "manta", WHOLE));
            feed.publish(feed.frame("f2", candyQuery, T0.plusSeconds(30), "manta", WHOLE));
            feed.publish(feed.frame("f3", april, T0.plusSeconds(600), "manta", WHOLE));
            Sighting s1 = feed.awaitSighting("f1:0", s -> true);
            Sighting s2 = feed.awaitSighting("f2:0", s -> true);
            Sighting s3 = feed.awaitSighting("f3:0", s -> true);
            assertEquals(MatchDecision.NEW_PROVISIONAL, s1.getDecision(), "an empty gallery: the first manta is new");
            individualX = s1.getIndividualId();
            assertEquals(MatchDecision.REVIEW, s2.getDecision(), "the same manta, another photo: a person decides");
            assertEquals(individualX, s2.getCandidates().get(0).getIndividualId());
            assertEquals(null, s2.getIndividualId());
            assertEquals(MatchDecision.NEW_PROVISIONAL, s3.getDecision(), "another manta is new");
            String individualY = s3.getIndividualId();
            assertNotEquals(individualX, individualY);
            assertEquals(s1.getEventId(), s2.getEventId(), "30 s apart: one event");
            assertNotEquals(s1.getEventId(), s3.getEventId(), "10 min later: a new event");
            assertEquals(camera, s1.getCameraId());
            assertEquals("reef", s1.getSiteId());

            // the review queue, and a confirmation
            JsonNode queue = feed.get(base + "/api/review");
            assertEquals(1, queue.size(), queue.toString());
            assertEquals("f2:0", queue.get(0).get("sightingId").asText().replace(camera + "-", ""));
            assertEquals(individualX, queue.get(0).get("candidates").get(0).get("individualId").asText());
            HttpResponse<byte[]> crop = http.send(HttpRequest.newBuilder(URI.create(base + queue.get(0).get("crop").asText()))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, crop.statusCode());
            assertTrue(ImageIO.read(new java.io.ByteArrayInputStream(crop.body())).getWidth() > 100, "the reviewer sees the crop");
            String confirm = base + "/api/review/" + feed.id("f2:0") + "/confirm";
            assertEquals(401, feed.send("POST", confirm, "{\"individualId\":\"" + individualX + "\"}", null).statusCode());
            assertEquals(400, feed.send("POST", confirm, "{}", OPERATOR_KEY).statusCode());
            assertEquals(200, feed.send("POST", confirm, "{\"individualId\":\"" + individualX + "\"}", OPERATOR_KEY).statusCode());
            assertEquals(0, feed.get(base + "/api/review").size());
            assertEquals(individualX, feed.get(base + "/api/sightings/" + feed.id("f2:0")).get("individualId").asText());
            assertEquals(MatchDecision.MATCHED, feed.awaitSighting("f2:0", s -> s.getDecision() == MatchDecision.MATCHED).getDecision(),
                    "the reviewed sighting is published again as it now reads");
            assertEquals(404, feed.send("POST", confirm, "{\"individualId\":\"" + individualX + "\"}", OPERATOR_KEY).statusCode(),
                    "reviewed once");

            // a merge: the other manta's sightings are X's, and a new photo like them is X
            assertEquals(200, feed.send("POST", base + "/api/individuals/" + individualX + "/merge",
                    "{\"from\":\"" + individualY + "\"}", OPERATOR_KEY).statusCode());
            JsonNode merged = feed.get(base + "/api/individuals/" + individualY);
            assertEquals("MERGED", merged.get("status").asText());
            assertEquals(individualX, merged.get("mergedInto").asText());
            assertEquals(individualX, feed.get(base + "/api/sightings/" + feed.id("f3:0")).get("individualId").asText());
            feed.publish(feed.frame("f4", april, T0.plusSeconds(1200), "manta", WHOLE));
            Sighting s4 = feed.awaitSighting("f4:0", s -> true);
            assertEquals(MatchDecision.MATCHED, s4.getDecision());
            assertEquals(individualX, s4.getIndividualId(), "after the merge, X is who that manta is");

            // a split: the two April sightings become a new individual, and the next April photo is that one
            HttpResponse<String> split = feed.send("POST", base + "/api/individuals/" + individualX + "/split",
                    "{\"sightingIds\":[\"" + feed.id("f3:0") + "\",\"" + feed.id("f4:0") + "\"],\"name\":\"April\"}", OPERATOR_KEY);
            assertEquals(201, split.statusCode(), split.body());
            individualZ = feed.json.readTree(split.body()).get("individuals").get(1).get("individualId").asText();
            assertEquals("April", feed.get(base + "/api/individuals/" + individualZ).get("name").asText());
            assertEquals(individualZ, feed.get(base + "/api/sightings/" + feed.id("f3:0")).get("individualId").asText());
            assertEquals(List.of(feed.id("f1:0"), feed.id("f2:0")),
                    IdentifierFeed.texts(feed.get(base + "/api/individuals/" + individualX).get("sightingIds")));
            feed.publish(feed.frame("f5", april, T0.plusSeconds(1800), "manta", WHOLE));
            Sighting s5 = feed.awaitSighting("f5:0", s -> true);
            assertEquals(individualZ, s5.getIndividualId(), "after the split, that manta is the new individual");

            // two animals in one frame: both look like April, only one can be her
            // the second box a quarter of the photo: part of April's pattern, not a second copy of the whole (a
            // box just inside the whole, widened by the crop margin, would be the very same crop: a tie)
            feed.publish(feed.frame("f6", april, T0.plusSeconds(2400), "manta", WHOLE, new BoundingBox(0f, 0f, 0.5f, 0.5f)));
            Sighting first = feed.awaitSighting("f6:0", s -> true);
            Sighting second = feed.awaitSighting("f6:1", s -> true);
            Set<String> both = new HashSet<>(List.of(String.valueOf(first.getIndividualId()), String.valueOf(second.getIndividualId())));
            assertEquals(2, both.size(), "two animals of one frame, two individuals: " + both);
            assertTrue(both.contains(individualZ));
            Sighting other = first.getIndividualId() != null && first.getIndividualId().equals(individualZ) ? second : first;
            if (other.getIndividualId() != null) {
                HttpResponse<String> together = feed.send("POST", base + "/api/individuals/" + individualZ + "/merge",
                        "{\"from\":\"" + other.getIndividualId() + "\"}", OPERATOR_KEY);
                assertEquals(409, together.statusCode(), "seen in one frame, never one animal: " + together.body());
            }

            // what cannot be read goes to the dead letters, and the service goes on
            FrameDetections missing = FrameDetections.newBuilder(feed.frame("f-missing", april, T0.plusSeconds(2410), "manta", WHOLE))
                    .setBlob(new BlobRef("fs", BlobKeys.content(BlobKeys.sha256(new byte[] {1, 2, 3})), 3L)).build();
            feed.publish(missing);
            try (var producer = new KafkaProducer<>(new KafkaClientSettings(config).producer("identifier-it", null),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(Topics.DETECTIONS.name(), camera.getBytes(StandardCharsets.UTF_8),
                        "{\"frameId\": \"not avro\"}".getBytes(StandardCharsets.UTF_8))).get();
            }
            List<DeadLetter> letters = TopicReader.readUntil(new KafkaClientSettings(config).consumer("letters", "identifier-it"),
                            Topics.DEAD_LETTERS.name(), new StringDeserializer(), Topics.DEAD_LETTERS.valueSerde(config).deserializer(),
                            r -> r.value().getService().equals("identifier")
                                    && new String(r.value().getKey().array(), StandardCharsets.UTF_8).equals(camera),
                            read -> read.size() >= 2, Duration.ofSeconds(60))
                    .stream().map(r -> r.value()).toList();
            assertEquals(2, letters.size(), letters.toString());
            assertTrue(letters.stream().anyMatch(l -> l.getReason().contains("not in the blob store")), letters.toString());

            String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("trapline_identifier_sightings_total{decision=\"MATCHED\"}"), "sighting counters");
            assertTrue(metrics.contains("trapline_identifier_match_seconds_bucket"), "a match latency histogram");
            assertTrue(metrics.contains("trapline_identifier_review_queue 0.0"), "the review queue's length");

            // April once more before the restart: what the live gallery decides, the rebuilt one must too
            feed.publish(feed.frame("f6b", april, T0.plusSeconds(2415), "manta", WHOLE));
            beforeRestart = feed.awaitSighting("f6b:0", s -> true);
            queuedBeforeRestart = feed.get(base + "/api/review").size();
        }

        // a restart: the gallery comes back from its topic, and so does the camera's open event
        try (IdentifierService again = IdentifierService.start(config)) {
            String base = "http://127.0.0.1:" + again.port();
            assertEquals("April", feed.get(base + "/api/individuals/" + individualZ).get("name").asText());
            assertEquals(queuedBeforeRestart, feed.get(base + "/api/review").size(), "the review queue comes back");
            feed.publish(feed.frame("f7", april, T0.plusSeconds(2430), "manta", WHOLE));
            Sighting s7 = feed.awaitSighting("f7:0", s -> true);
            assertEquals(beforeRestart.getDecision(), s7.getDecision(), "the rebuilt gallery decides as the live one did");
            assertEquals(beforeRestart.getIndividualId(), s7.getIndividualId());
            assertEquals(beforeRestart.getCandidates().stream().map(c -> c.getIndividualId()).toList(),
                    s7.getCandidates().stream().map(c -> c.getIndividualId()).toList(), "with the same candidates");
            assertTrue(s7.getCandidates().stream().anyMatch(c -> c.getIndividualId().equals(individualZ)),
                    "April among them");
            assertEquals(feed.awaitSighting("f6:0", s -> true).getEventId(), s7.getEventId(),
                    "20 s after the frame before the restart: the same event");
        }

        // exactly once: every animal has one sighting, only the reviewed one was published a second time
        // one site, one partition: once f7's sighting is read, everything before it has been
        List<Sighting> all = feed.sightingsOfCamera(
                read -> read.stream().anyMatch(s -> s.getSightingId().equals(feed.id("f7:0"))), Duration.ofSeconds(60));
        Map<String, Integer> perSighting = new HashMap<>();
        all.forEach(s -> perSighting.merge(s.getSightingId(), 1, Integer::sum));
        Map<String, Integer> expected = new HashMap<>();
        for (String s : List.of("f1:0", "f3:0", "f4:0", "f5:0", "f6:0", "f6:1", "f6b:0", "f7:0")) {
            expected.put(feed.id(s), 1);
        }
        expected.put(feed.id("f2:0"), 2);
        assertEquals(expected, perSighting);
    }

    /** The candy photo in the database most like the candy query (the pair the test is built on). */
    static String bestCandyReference(Path mantas) throws Exception {
        LocalFeatureMatcher matcher = new LocalFeatureMatcher(LocalFeatureMatcher.Settings.defaults());
        try (var files = Files.list(mantas.resolve("database"))) {
            for (Path photo : files.filter(f -> f.getFileName().toString().startsWith("candy")).sorted().toList()) {
                matcher.enrol(photo.getFileName().toString(), read(photo));
            }
        }
        return matcher.candidates(read(mantas.resolve("test/candy-test-02.png")), 1).get(0).individualId();
    }

    static float score(Matcher matcher, Path photo, String key) throws Exception {
        return matcher.candidates(read(photo), 10).stream().filter(m -> m.individualId().equals(key))
                .findFirst().orElseThrow().score();
    }

    static BufferedImage read(Path photo) throws Exception {
        return ImageIO.read(photo.toFile());
    }
}
