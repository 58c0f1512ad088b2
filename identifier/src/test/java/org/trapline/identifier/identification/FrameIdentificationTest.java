package org.trapline.identifier.identification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.imageio.ImageIO;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.blob.BlobKeys;
import org.trapline.blob.FileSystemBlobStore;
import org.trapline.config.TraplineConfig;
import org.trapline.deadletter.DeadLetterRouter;
import org.trapline.identifier.IdentifierRecords;
import org.trapline.identifier.IdentifierSettings;
import org.trapline.identifier.crop.Crops;
import org.trapline.identifier.decide.Decisions;
import org.trapline.identifier.match.Match;
import org.trapline.identifier.match.Matcher;
import org.trapline.identifier.sequence.Sequencer;
import org.trapline.identifier.state.IdentifierState;
import org.trapline.schema.BlobRef;
import org.trapline.schema.BoundingBox;
import org.trapline.schema.DeadLetter;
import org.trapline.schema.Detection;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.MatchDecision;
import org.trapline.schema.ModelInfo;
import org.trapline.schema.PlainAvro;
import org.trapline.schema.Sighting;
import org.trapline.topics.Topics;

/**
 * The identifier's per-frame decisions without a broker or a network: frames as the detector writes them, plain
 * Avro instead of the registry, a matcher that finds every enrolled reference alike, and what is sent in the
 * poll's transaction read back from Kafka's {@link MockProducer}.
 */
class FrameIdentificationTest {

    static final Instant T0 = Instant.parse("2026-05-02T09:00:00Z");
    static final BoundingBox WHOLE = new BoundingBox(0f, 0f, 1f, 1f);

    @TempDir
    Path dir;
    FileSystemBlobStore blobs;
    IdentifierState state;
    FrameIdentification identification;
    final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    long offset;

    /** Every enrolled reference is a candidate, scored above the default match threshold (0.92). */
    static final class AllAlike implements Matcher {
        final Set<String> enrolled = new LinkedHashSet<>();

        @Override
        public String name() {
            return IdentifierSettings.EMBEDDING;
        }

        @Override
        public Probe probe(BufferedImage crop) {
            return new Probe() {
                @Override
                public List<Match> candidates(int k) {
                    return enrolled.stream().limit(k).map(key -> new Match(key, 0.95f, name())).toList();
                }

                @Override
                public void enrol(String key) {
                    enrolled.add(key);
                }

                @Override
                public Optional<float[]> storable() {
                    return Optional.empty();
                }
            };
        }

        @Override
        public boolean enrolStored(String key, float[] features) {
            return false;
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        blobs = new FileSystemBlobStore(dir);
        // mantas are told apart by their spots (marked); every other species is unmarked, the default
        IdentifierSettings settings = IdentifierSettings.fromConfig(TraplineConfig.of(Map.of("identifier.species.manta.matchers",
                "embedding")));
        Crops crops = new Crops(blobs, settings.cropMargin());
        Clock clock = Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC);
        AllAlike matcher = new AllAlike();
        state = new IdentifierState(species -> List.of(matcher), reference -> crops.crop(reference.getBlob(), reference.getBbox()),
                new Sequencer(Duration.ofSeconds(60), 100), settings.maxReferences(), clock);
        IdentifierRecords records = new IdentifierRecords(PlainAvro.deserializer(FrameDetections.class),
                PlainAvro.serializer(), PlainAvro.serializer(), PlainAvro.serializer());
        identification = new FrameIdentification(state, settings, crops, new Decisions(settings.thresholds()),
                new DeadLetterRouter("identifier", PlainAvro.serializer(), clock), records, new SimpleMeterRegistry(), clock, "identifier");
    }

    @Test
    void theFirstAnimalOfItsSpeciesIsNewAndTheNextOneAlikeIsThatIndividual() throws Exception {
        poll(frame("f1", T0, "manta", WHOLE));
        Sighting first = only(sightings());
        assertEquals(MatchDecision.NEW_PROVISIONAL, first.getDecision(), "an empty gallery: nobody to match");
        assertNotNull(first.getIndividualId());
        IndividualUpdate created = only(individuals());
        assertEquals(first.getIndividualId(), created.getIndividualId(), "the new individual is in the gallery update");
        assertEquals(List.of(first.getSightingId()), created.getSightingIds());

        producer.clear();
        poll(frame("f2", T0.plusSeconds(30), "manta", WHOLE));
        Sighting second = only(sightings());
        assertEquals(MatchDecision.MATCHED, second.getDecision());
        assertEquals(first.getIndividualId(), second.getIndividualId(), "alike: the same individual");
        assertEquals(first.getEventId(), second.getEventId(), "30 s apart: one event");
        assertEquals(List.of(first.getSightingId(), second.getSightingId()), only(individuals()).getSightingIds());
        assertEquals(1, state.gallery().live().size(), "still one individual in memory, as committed");
    }

    @Test
    void anUnmarkedSpeciesIsCountedButNeverAnIndividual() throws Exception {
        FrameDetections frame = frame("f1", T0, "deer", WHOLE, new BoundingBox(0f, 0f, 0.5f, 0.5f));
        poll(frame);
        List<Sighting> deer = sightings();
        assertEquals(2, deer.size(), "each animal a sighting");
        for (Sighting sighting : deer) {
            assertEquals(MatchDecision.UNMARKED, sighting.getDecision());
            assertEquals(null, sighting.getIndividualId());
            assertEquals(List.of(), sighting.getCandidates(), "no candidates: it was never matched");
        }
        assertEquals(List.of(), individuals(), "no individual, provisional or not");
        assertFalse(topics().contains(Topics.REVIEW_QUEUE.name()), "nothing for a reviewer to tell apart");

        producer.clear();
        poll(frame("f2", T0.plusSeconds(10), "deer", WHOLE));
        assertEquals(MatchDecision.UNMARKED, only(sightings()).getDecision(), "the next deer alike: still nobody");
        assertEquals(0, state.gallery().live().size());
    }

    @Test
    void anEmptyFrameMovesItsCameraEventButIsNobodysSighting() throws Exception {
        FrameDetections empty = FrameDetections.newBuilder(frame("blank", T0, "manta")).setEmpty(true).build();
        poll(empty);
        assertEquals(List.of(), sightings());
        assertEquals(List.of(Topics.CAMERA_SEQUENCES.name()), topics(), "only the camera's open event is written");
    }

    @Test
    void whatCannotBeReadGoesToTheDeadLettersAndThePollGoesOn() throws Exception {
        FrameDetections missing = FrameDetections.newBuilder(frame("gone", T0, "manta", WHOLE))
                .setBlob(new BlobRef("fs", BlobKeys.content(BlobKeys.sha256(new byte[] {1, 2, 3})), 3L)).build();
        ConsumerRecord<byte[], byte[]> notAvro = record("{\"frameId\": \"not avro\"}".getBytes(StandardCharsets.UTF_8));
        identification.identify(records(notAvro, record(PlainAvro.bytes(missing)), record(PlainAvro.bytes(frame("here", T0.plusSeconds(5),
                "manta", WHOLE)))), producer);

        List<DeadLetter> letters = values(Topics.DEAD_LETTERS.name(), DeadLetter.class);
        assertEquals(2, letters.size(), letters.toString());
        assertTrue(letters.stream().anyMatch(l -> l.getReason().contains("not in the blob store")), letters.toString());
        assertEquals(1, sightings().size(), "the readable frame is identified all the same");
    }

    // ---- frames in, records out ----

    FrameDetections frame(String id, Instant time, String species, BoundingBox... boxes) throws IOException {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        image.setRGB(10, 10, 0xffffff);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        String key = BlobKeys.content(BlobKeys.sha256(png.toByteArray()));
        blobs.put(key, png.toByteArray());
        List<Detection> detections = new ArrayList<>();
        for (BoundingBox box : boxes) {
            detections.add(new Detection(DetectionCategory.ANIMAL, species, 0.9f, box));
        }
        return FrameDetections.newBuilder().setFrameId(id).setSiteId("reef").setCameraId("reef-cam").setCaptureTime(time)
                .setBlob(new BlobRef("fs", key, (long) png.size())).setWidth(64).setHeight(48)
                .setModel(new ModelInfo("test", "1")).setDetections(detections).setEmpty(false).setRedacted(false)
                .setProcessedTime(time.plusSeconds(1)).build();
    }

    void poll(FrameDetections... frames) {
        List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>();
        for (FrameDetections frame : frames) {
            list.add(record(PlainAvro.bytes(frame)));
        }
        identification.identify(records(list.toArray(ConsumerRecord[]::new)), producer);
    }

    ConsumerRecord<byte[], byte[]> record(byte[] value) {
        return new ConsumerRecord<>(Topics.DETECTIONS.name(), 0, offset++, "reef-cam".getBytes(StandardCharsets.UTF_8), value);
    }

    @SafeVarargs
    static ConsumerRecords<byte[], byte[]> records(ConsumerRecord<byte[], byte[]>... records) {
        return new ConsumerRecords<>(Map.of(new TopicPartition(Topics.DETECTIONS.name(), 0), List.of(records)), Map.of());
    }

    List<Sighting> sightings() {
        return values(Topics.SIGHTINGS.name(), Sighting.class);
    }

    List<IndividualUpdate> individuals() {
        return values(Topics.INDIVIDUALS.name(), IndividualUpdate.class);
    }

    List<String> topics() {
        return producer.history().stream().map(ProducerRecord::topic).toList();
    }

    <T extends SpecificRecord> List<T> values(String topic, Class<T> type) {
        return producer.history().stream().filter(r -> r.topic().equals(topic)).map(r -> PlainAvro.decode(r.value(), type)).toList();
    }

    static <T> T only(List<T> values) {
        assertEquals(1, values.size(), values.toString());
        return values.get(0);
    }
}
