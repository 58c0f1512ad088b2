package org.trapline.detector.outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.imageio.ImageIO;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.blob.BlobKeys;
import org.trapline.blob.FileSystemBlobStore;
import org.trapline.deadletter.DeadLetterRouter;
import org.trapline.detector.FrameDetector;
import org.trapline.detector.model.Box;
import org.trapline.detector.model.LabelMap;
import org.trapline.detector.pipeline.PollWork;
import org.trapline.detector.pipeline.Step;
import org.trapline.detector.pipeline.Step.Detected;
import org.trapline.detector.pipeline.Step.Loaded;
import org.trapline.detector.redact.KeptResults;
import org.trapline.detector.redact.Redactor;
import org.trapline.detector.repeat.RepeatDetections;
import org.trapline.detector.species.BoxSpecies;
import org.trapline.detector.species.FrameCrops;
import org.trapline.schema.BlobRef;
import org.trapline.schema.DeadLetter;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.Frame;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.ModelInfo;
import org.trapline.schema.PlainAvro;
import org.trapline.schema.SampleRecords;
import org.trapline.topics.Topics;

/**
 * The transaction's decision for each frame, without a broker or a network: the steps as the pipeline leaves them
 * (their work done), the real decider, redactor and blob store, and the records the poll would send.
 */
class FrameOutcomesTest {

    static final int PERSON = 0;
    static final int DOG = 1;

    @TempDir
    Path dir;
    FileSystemBlobStore blobs;
    KeptResults kept;
    FrameOutcomes outcomes;
    long offset;

    @BeforeEach
    void setUp() throws IOException {
        blobs = new FileSystemBlobStore(dir);
        kept = new KeptResults(blobs);
        Map<DetectionCategory, Float> thresholds = new EnumMap<>(DetectionCategory.class);
        for (DetectionCategory category : DetectionCategory.values()) {
            thresholds.put(category, 0.3f);
        }
        Redactor redactor = new Redactor(blobs, Redactor.Mode.BLUR);
        Clock clock = Clock.fixed(SampleRecords.CAPTURED.plusSeconds(60), ZoneOffset.UTC);
        FrameDetector decider = new FrameDetector(LabelMap.of(List.of("person", "dog"), Map.of()), thresholds,
                new ModelInfo("test", "1"), redactor, new RepeatDetections(blobs, new RepeatDetections.Settings(0.9f, 20, 0.2f)),
                clock);
        outcomes = new FrameOutcomes(decider, redactor, kept, PlainAvro.serializer(),
                new DeadLetterRouter("detector", PlainAvro.serializer(), clock));
    }

    @Test
    void animalsArePublishedAsDetectedAndAFrameWithoutAnyAsEmpty() throws Exception {
        Frame dog = stored(SampleRecords.frame("cam"));
        Frame blank = stored(SampleRecords.frame("cam"));
        PollOutcome outcome = outcomes.decide(new PollWork(List.of(
                done(dog, new Box(DOG, 0.9f, 0.1f, 0.1f, 0.3f, 0.3f), new Box(DOG, 0.1f, 0.5f, 0.5f, 0.2f, 0.2f)),
                done(blank))));

        assertEquals(List.of("detected", "empty"), outcome.outcomes());
        List<FrameDetections> published = published(outcome);
        assertEquals(List.of("dog"), published.get(0).getDetections().stream().map(d -> d.getLabel()).toList(),
                "the box under its category's threshold is no detection");
        assertTrue(published.get(1).getEmpty());
        assertEquals(List.of("cam", "cam"), outcome.records().stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList(),
                "keyed by camera");
        assertEquals(List.of(), outcome.removals());
    }

    @Test
    void aPersonIsRedactedItsResultKeptBeforeTheCommitAndItsOriginalDueForRemoval() throws Exception {
        Frame person = stored(SampleRecords.frame("cam"));
        PollOutcome outcome = outcomes.decide(new PollWork(List.of(done(person, new Box(PERSON, 0.8f, 0.2f, 0.2f, 0.4f, 0.5f)))));

        assertEquals(List.of("redacted"), outcome.outcomes());
        FrameDetections result = published(outcome).get(0);
        assertTrue(result.getRedacted());
        assertFalse(result.getBlob().getUri().equals(person.getBlob().getUri()), "downstream sees the redacted copy");
        assertEquals(List.of(person.getFrameId()), outcome.redactedFrameIds());
        assertEquals(person.getBlob().getUri(), outcome.removals().get(0).original());
        assertEquals(Optional.of(result), kept.find(person), "kept, for a retry that finds the original gone");
    }

    @Test
    void aFrameWhoseImageIsGoneAfterItsRedactionIsPublishedAgainAsKept() throws Exception {
        Frame person = SampleRecords.frame("cam");
        FrameDetections earlier = SampleRecords.detections(person);
        kept.keep(person, earlier);
        PollOutcome outcome = outcomes.decide(new PollWork(List.of(gone(person))));

        assertEquals(List.of(earlier), published(outcome), "the same decision, not a dead letter");
    }

    @Test
    void whatCannotBeDecidedGoesToTheDeadLettersWithWhy() throws Exception {
        Frame missing = SampleRecords.frame("cam");
        Frame garbage = SampleRecords.frame("cam");
        PollOutcome outcome = outcomes.decide(new PollWork(List.of(
                new Step.NotAFrame(record(), new IllegalArgumentException("not in the schema registry wire format")),
                gone(missing),
                Step.FrameStep.done(record(), garbage, new Loaded(Optional.of(new byte[] {1, 2, 3}), false),
                        new Detected(List.of(), FrameCrops.NONE), BoxSpecies.NONE),
                Step.FrameStep.done(record(), garbage, new Loaded(Optional.empty(), false, "frame names a blob key the store refuses"),
                        new Detected(List.of(), FrameCrops.NONE), BoxSpecies.NONE))));

        assertEquals(List.of("dead-letter", "dead-letter", "dead-letter", "dead-letter"), outcome.outcomes());
        List<String> reasons = outcome.records().stream().map(r -> decode(r, DeadLetter.class).getReason()).toList();
        assertTrue(reasons.get(0).contains("wire format"), reasons.toString());
        assertTrue(reasons.get(1).contains("is not in the blob store"), reasons.toString());
        assertTrue(reasons.get(2).contains("cannot be decoded"), reasons.toString());
        assertTrue(reasons.get(3).contains("refuses"), reasons.toString());
    }

    // ---- steps in, records out ----

    /** The frame with a real picture of its own in the store. */
    Frame stored(Frame frame) throws IOException {
        BufferedImage image = new BufferedImage(120, 80, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 120; x++) {
            image.setRGB(x, x % 80, 0xff00ff);
        }
        image.setRGB(0, 0, (int) offset++);  // a picture of its own, under a key of its own
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        String key = BlobKeys.content(BlobKeys.sha256(png.toByteArray()));
        blobs.put(key, png.toByteArray());
        return Frame.newBuilder(frame).setBlob(new BlobRef("fs", key, (long) png.size())).build();
    }

    Step.FrameStep done(Frame frame, Box... boxes) throws IOException {
        return Step.FrameStep.done(record(), frame, new Loaded(blobs.get(frame.getBlob().getUri()), true),
                new Detected(List.of(boxes), FrameCrops.NONE), BoxSpecies.NONE);
    }

    Step.FrameStep gone(Frame frame) {
        return Step.FrameStep.done(record(), frame, new Loaded(Optional.empty(), false), new Detected(List.of(), FrameCrops.NONE),
                BoxSpecies.NONE);
    }

    ConsumerRecord<byte[], byte[]> record() {
        return new ConsumerRecord<>(Topics.FRAMES.name(), 0, offset++, "cam".getBytes(StandardCharsets.UTF_8), new byte[] {0});
    }

    static List<FrameDetections> published(PollOutcome outcome) {
        return outcome.records().stream().filter(r -> r.topic().equals(Topics.DETECTIONS.name()))
                .map(r -> decode(r, FrameDetections.class)).toList();
    }

    static <T extends SpecificRecord> T decode(ProducerRecord<byte[], byte[]> record, Class<T> type) {
        return PlainAvro.decode(record.value(), type);
    }
}
