package org.trapline.identifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.blob.BlobKeys;
import org.trapline.blob.BlobStore;
import org.trapline.blob.BlobStores;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.schema.BlobRef;
import org.trapline.schema.BoundingBox;
import org.trapline.schema.ClassificationKind;
import org.trapline.schema.Detection;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.MatchDecision;
import org.trapline.schema.ModelInfo;
import org.trapline.schema.Sighting;
import org.trapline.schema.SpeciesClassification;
import org.trapline.schema.TaxonRank;
import org.trapline.testsupport.junit.TestStack;
import org.trapline.testsupport.junit.TestStackExtension;
import org.trapline.testsupport.kafka.TopicReader;
import org.trapline.localstack.samples.SharedData;
import org.trapline.topics.TopicSetup;
import org.trapline.topics.Topics;

/**
 * The identifier names sightings by the species classifier's answers, one name per species over an
 * event, on the real broker and registry with the real matchers: a burst that arrives together shares the
 * event's name whatever each frame's own answer was; the event's votes survive a restart, so a frame
 * that comes later takes the name too; and each species is identified with the matchers configured for
 * its scientific name, in a gallery of its own.
 */
@ExtendWith(TestStackExtension.class)
class SpeciesEventIT {

    static final Instant T0 = Instant.parse("2026-07-09T21:14:00Z");
    static final BoundingBox WHOLE = new BoundingBox(0f, 0f, 1f, 1f);
    static final String COUGAR = "mammalia;carnivora;felidae;puma;concolor";
    static final String BOBCAT = "mammalia;carnivora;felidae;lynx;rufus";
    static final String CATS = "mammalia;carnivora;felidae;;";
    static final String DOG = "mammalia;carnivora;canidae;canis;familiaris";

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String trail = "trail-" + run;
    final String yard = "yard-" + run;
    TraplineConfig config;
    BlobStore blobs;

    @Test
    void aBurstSharesOneNameAcrossPollsAndRestartsAndEachSpeciesGetsItsMatchers(TestStack stack, @TempDir Path dataDir)
            throws Exception {
        SharedData shared = SharedData.locate();
        Map<String, String> settings = new HashMap<>(stack.config(dataDir));
        settings.putAll(Map.of("models.dir", shared.models().toString(), "identifier.http.port", "0",
                "identifier.default.mode", "marked",  // every species re-identified, as before species had modes
                "identifier.matchers", "embedding",
                "identifier.species.puma-concolor.matchers", "local-features"));
        config = TraplineConfig.of(settings);
        new TopicSetup(config).run();
        blobs = BlobStores.fromConfig(config);
        Path cougarPhoto = shared.images().resolve("camera-traps/idaho-camera-traps.jpg");
        Path dogPhoto = shared.images().resolve("animals/dog.jpg");

        // a burst of four frames of one cougar, the way a classifier sees a burst: blurred as it enters
        // ("cat family"), sharp, once taken for a bobcat, sharp again; sent together, before the identifier runs
        publish(frame(trail, "c1", cougarPhoto, T0, answer("cat family", "Felidae", TaxonRank.FAMILY, CATS, 0.7f)),
                frame(trail, "c2", cougarPhoto, T0.plusSeconds(2), answer("cougar", "Puma concolor", TaxonRank.SPECIES, COUGAR, 0.8f)),
                frame(trail, "c3", cougarPhoto, T0.plusSeconds(4), answer("bobcat", "Lynx rufus", TaxonRank.SPECIES, BOBCAT, 0.5f)),
                frame(trail, "c4", cougarPhoto, T0.plusSeconds(6), answer("cougar", "Puma concolor", TaxonRank.SPECIES, COUGAR, 0.9f)),
                // a dog, twice, ten minutes apart (two events), with no matchers of its own configured
                frame(yard, "d1", dogPhoto, T0, answer("domestic dog", "Canis familiaris", TaxonRank.SPECIES, DOG, 0.9f)),
                frame(yard, "d2", dogPhoto, T0.plusSeconds(600), answer("domestic dog", "Canis familiaris", TaxonRank.SPECIES, DOG, 0.9f)));

        String cougarIndividual;
        try (IdentifierService identifier = IdentifierService.start(config)) {
            List<Sighting> burst = awaitSightings(trail, 4);
            for (Sighting s : burst) {
                assertEquals("cougar", s.getSpeciesLabel(), s.getSightingId());
                assertEquals("Puma concolor", s.getScientificName(), s.getSightingId());
                assertEquals(burst.get(0).getEventId(), s.getEventId(), "one event");
            }
            assertEquals(MatchDecision.NEW_PROVISIONAL, burst.get(0).getDecision(), "the first cougar in its species' gallery");
            cougarIndividual = burst.get(0).getIndividualId();
            for (Sighting s : burst.subList(1, 4)) {
                assertFalse(s.getCandidates().isEmpty(), s.toString());
                assertTrue(s.getCandidates().stream().allMatch(c -> "local-features".equals(c.getMatcher())),
                        "the cougar's configured matcher: " + s.getCandidates());
                assertEquals(cougarIndividual, s.getCandidates().get(0).getIndividualId());
            }
            var individual = new ObjectMapper().readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + identifier.port() + "/api/individuals/" + cougarIndividual)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("Puma concolor", individual.get("species").asText(), "a gallery per scientific name");

            List<Sighting> dogs = awaitSightings(yard, 2);
            assertEquals(List.of("Canis familiaris", "Canis familiaris"), dogs.stream().map(Sighting::getScientificName).toList());
            assertEquals("domestic dog", dogs.get(1).getSpeciesLabel());
            assertFalse(dogs.get(1).getCandidates().isEmpty());
            assertTrue(dogs.get(1).getCandidates().stream().allMatch(c -> "embedding".equals(c.getMatcher())),
                    "no matchers configured for dogs: the default " + dogs.get(1).getCandidates());
            assertEquals(dogs.get(0).getIndividualId(), dogs.get(1).getCandidates().get(0).getIndividualId());
        }

        // the burst's fifth frame comes after a restart, blurred again: it takes the name of the event it joins
        publish(frame(trail, "c5", cougarPhoto, T0.plusSeconds(8), answer("cat family", "Felidae", TaxonRank.FAMILY, CATS, 0.6f)));
        try (IdentifierService again = IdentifierService.start(config)) {
            List<Sighting> all = awaitSightings(trail, 5);
            Sighting fifth = all.get(4);
            assertEquals(id(trail, "c5") + ":0", fifth.getSightingId());
            assertEquals(all.get(0).getEventId(), fifth.getEventId(), "the same event, continued");
            assertEquals("cougar", fifth.getSpeciesLabel(), "named by the votes kept with the event");
            assertEquals("Puma concolor", fifth.getScientificName());
        }
    }

    static SpeciesClassification answer(String label, String scientificName, TaxonRank rank, String taxonomy, float score) {
        return SpeciesClassification.newBuilder().setDetection(0).setKind(ClassificationKind.ANIMAL).setLabel(label)
                .setScientificName(scientificName).setRank(rank).setScore(score).setSource("classifier").setTop5(List.of())
                .setClassifier(new ModelInfo("mobilenetv2-12-int8-features", "1")).setFlags(List.of()).setTaxonomy(taxonomy)
                .build();
    }

    String id(String camera, String name) {
        return camera + "-" + name;
    }

    /** A frame of one animal, the whole picture its box, the detector calling it a dog as YOLOX-nano does. */
    FrameDetections frame(String camera, String name, Path photo, Instant time, SpeciesClassification answer) throws Exception {
        byte[] bytes = Files.readAllBytes(photo);
        String key = BlobKeys.content(BlobKeys.sha256(bytes));
        blobs.put(key, bytes);
        return FrameDetections.newBuilder()
                .setFrameId(id(camera, name))
                .setSiteId("species-site")
                .setCameraId(camera)
                .setCaptureTime(time)
                .setBlob(new BlobRef("fs", key, (long) bytes.length))
                .setWidth(800)
                .setHeight(450)
                .setModel(new ModelInfo("yolox-nano-coco", "1"))
                .setDetections(List.of(new Detection(DetectionCategory.ANIMAL, "dog", 0.8f, WHOLE)))
                .setEmpty(false)
                .setRedacted(false)
                .setProcessedTime(time.plusSeconds(1))
                .setClassifications(List.of(answer))
                .build();
    }

    /** Sent in one transaction, as the detector sends a poll's results. */
    void publish(FrameDetections... frames) throws Exception {
        try (var producer = new KafkaProducer<>(new KafkaClientSettings(config).producer("species-event-it", "species-event-it-" + run),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (FrameDetections frame : frames) {
                producer.send(new ProducerRecord<>(Topics.DETECTIONS.name(), frame.getCameraId().getBytes(StandardCharsets.UTF_8),
                        Topics.DETECTIONS.valueSerde(config).serializer().serialize(Topics.DETECTIONS.name(), frame)));
            }
            producer.commitTransaction();
        }
    }

    /** The camera's first {@code count} sightings, in order, waited for. */
    List<Sighting> awaitSightings(String camera, int count) {
        List<Sighting> read = TopicReader.readUntil(new KafkaClientSettings(config).consumer("sightings", "species-event-it"),
                        Topics.SIGHTINGS.name(), new StringDeserializer(), Topics.SIGHTINGS.valueSerde(config).deserializer(),
                        r -> camera.equals(r.value().getCameraId()), records -> records.size() >= count, Duration.ofSeconds(120))
                .stream().map(r -> r.value()).toList();
        assertEquals(count, read.size(), "sightings of " + camera + ": " + read.stream().map(Sighting::getSightingId).toList());
        return read;
    }
}
