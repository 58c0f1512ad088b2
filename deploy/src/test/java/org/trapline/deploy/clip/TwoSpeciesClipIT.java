package org.trapline.deploy.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.auth.ApiKeys;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.detector.DetectorService;
import org.trapline.identifier.IdentifierService;
import org.trapline.ingest.IngestService;
import org.trapline.ingest.video.TestClips;
import org.trapline.schema.ClassificationKind;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.Sighting;
import org.trapline.schema.SpeciesClassification;
import org.trapline.species.taxonomy.Taxon;
import org.trapline.testsupport.junit.TestStack;
import org.trapline.testsupport.junit.TestStackExtension;
import org.trapline.testsupport.kafka.TopicReader;
import org.trapline.localstack.samples.SharedData;
import org.trapline.topics.TopicSetup;
import org.trapline.topics.Topics;

/**
 * A clip with two species in two halves, through ingest, the detector (its species stage on) and the
 * identifier, on the real broker and registry with the real networks: the first 3 seconds a dog and a cat,
 * the last 3.2 a pheasant ({@link TestClips#lateArrival}, 6.2 s at 10 frames a second). At one frame a second
 * every second is sampled, the last one included; and every sighting is named within its own answer's class
 * and order (the event vote may settle a name among close answers, never move an animal to another class or
 * order), so the pheasant's half is not renamed after the dog. What the stand-in networks answer differs by
 * machine; that each animal keeps its own class and order holds whatever they answer.
 */
@ExtendWith(TestStackExtension.class)
class TwoSpeciesClipIT {

    static final Duration WAIT = Duration.ofMinutes(3);
    static final ObjectMapper JSON = new ObjectMapper();

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String site = "clip-site-" + run;
    final String camera = "clip-cam-" + run;
    final String operatorKey = ApiKeys.newKey();

    @Test
    void everySecondIsSampledAndEachAnimalKeepsItsOwnClassAndOrder(TestStack stack, @TempDir Path dataDir) throws Exception {
        Path catalog = dataDir.resolve("catalog.json");
        Files.writeString(catalog, """
                {"sites": [{"id": "%s", "name": "Two species in one clip", "timeZone": "UTC"}],
                 "cameras": [{"id": "%s", "siteId": "%s"}]}
                """.formatted(site, camera, site));
        Map<String, String> settings = new HashMap<>(stack.config(dataDir));
        settings.putAll(Map.of(
                "models.dir", SharedData.locate().models().toString(),
                "ingest.http.port", "0",
                "ingest.catalog.file", catalog.toString(),
                "ingest.operator.clips.key.sha256", ApiKeys.hash(operatorKey),
                "detector.http.port", "0",
                "detector.instance.id", "clip-" + run,
                "identifier.http.port", "0",
                "identifier.instance.id", "clip-" + run));
        TraplineConfig config = TraplineConfig.of(settings);
        new TopicSetup(config).run();
        byte[] clip = TestClips.lateArrival(dataDir, TestClips.Kind.MP4_MPEG4, Instant.parse("2026-05-03T05:40:00Z"));

        try (IngestService ingest = IngestService.start(config);
             DetectorService detector = DetectorService.start(config);
             IdentifierService identifier = IdentifierService.start(config)) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + ingest.port() + "/api/clips?camera=" + camera + "&fps=1"))
                    .header("X-Api-Key", operatorKey).POST(HttpRequest.BodyPublishers.ofByteArray(clip)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, response.statusCode(), response.body());
            Map<String, Integer> frameNumbers = new HashMap<>();
            List<Integer> numbers = new ArrayList<>();
            for (JsonNode frame : JSON.readTree(response.body()).get("frames")) {
                frameNumbers.put(frame.get("frameId").asText(), frame.get("frameNumber").asInt());
                numbers.add(frame.get("frameNumber").asInt());
            }
            assertEquals(List.of(0, 10, 20, 30, 40, 50, 60), numbers, "every second of the 6.2 s clip, its end included");

            KafkaClientSettings clients = new KafkaClientSettings(config);
            List<FrameDetections> detections = TopicReader.readUntil(clients.consumer("unused", "clip-it"),
                            Topics.DETECTIONS.name(), new StringDeserializer(), Topics.DETECTIONS.valueSerde(config).deserializer(),
                            r -> r.value() != null && frameNumbers.containsKey(r.value().getFrameId()),
                            read -> read.size() >= frameNumbers.size(), WAIT)
                    .stream().map(ConsumerRecord::value).toList();
            assertEquals(frameNumbers.size(), detections.size(), "every sampled frame detected once");
            long animals = detections.stream().flatMap(d -> d.getDetections().stream())
                    .filter(d -> d.getCategory() == DetectionCategory.ANIMAL).count();
            List<Sighting> sightings = TopicReader.readUntil(clients.consumer("unused", "clip-it"),
                            Topics.SIGHTINGS.name(), new StringDeserializer(), Topics.SIGHTINGS.valueSerde(config).deserializer(),
                            r -> r.value() != null && frameNumbers.containsKey(r.value().getDetection().getFrameId()),
                            read -> read.size() >= animals, WAIT)
                    .stream().map(ConsumerRecord::value).toList();
            assertEquals(animals, sightings.size(), "every animal box sighted once: " + sightings);

            // each half holds its own animals: the dog and cat until 3 s, the pheasant after
            Map<Boolean, Long> byHalf = sightings.stream().collect(Collectors.partitioningBy(
                    s -> frameNumbers.get(s.getDetection().getFrameId()) >= TestClips.LATE_ARRIVAL_PHEASANT_FROM,
                    Collectors.counting()));
            assertTrue(byHalf.get(false) > 0 && byHalf.get(true) > 0, "animals found in both halves: " + byHalf);

            // a name's lineage, as the species stage gave it on any frame of the clip
            Map<String, Taxon> lineageOf = new HashMap<>();
            detections.forEach(d -> d.getClassifications().stream().filter(TwoSpeciesClipIT::readableAnimal)
                    .forEach(c -> lineageOf.putIfAbsent(c.getScientificName(), Taxon.parse(c.getTaxonomy()))));
            StringBuilder table = new StringBuilder("| frame | box | own answer | published as |\n|---|---|---|---|\n");
            int judged = 0;
            for (Sighting sighting : sightings) {
                FrameDetections frame = detections.stream()
                        .filter(d -> d.getFrameId().equals(sighting.getDetection().getFrameId())).findFirst().orElseThrow();
                Optional<SpeciesClassification> own = frame.getClassifications().stream()
                        .filter(c -> c.getDetection() == sighting.getDetection().getDetectionIndex())
                        .filter(TwoSpeciesClipIT::readableAnimal).findFirst();
                table.append(String.format("| %d | %d | %s | %s (%s) |%n", frameNumbers.get(frame.getFrameId()),
                        sighting.getDetection().getDetectionIndex(), own.map(c -> c.getScientificName() + " " + c.getTaxonomy())
                                .orElse("-"), sighting.getScientificName(), sighting.getSpeciesLabel()));
                if (own.isEmpty() || sighting.getScientificName() == null) {
                    continue;  // no answer of its own to keep: the detector's label
                }
                Taxon answered = Taxon.parse(own.get().getTaxonomy());
                Taxon published = lineageOf.get(sighting.getScientificName());
                assertFalse(published == null, "a published name is one of the clip's answers: " + sighting);
                same("class", answered.className(), published.className(), sighting, table);
                same("order", answered.order(), published.order(), sighting, table);
                judged++;
            }
            System.out.printf("two species in one clip: %d sightings, %d with an answer of their own%n%s%n", sightings.size(),
                    judged, table);
        }
    }

    private static boolean readableAnimal(SpeciesClassification c) {
        if (c.getKind() != ClassificationKind.ANIMAL || c.getTaxonomy() == null || c.getScientificName() == null) {
            return false;
        }
        try {
            Taxon.parse(c.getTaxonomy());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Where the own answer names the rank, the published name has the same there. */
    private static void same(String rank, String answered, String published, Sighting sighting, StringBuilder table) {
        if (answered != null && !answered.isBlank()) {
            assertEquals(answered, published, "the " + rank + " of " + sighting.getSightingId() + "'s own answer\n" + table);
        }
    }
}
