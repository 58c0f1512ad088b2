package org.trapline.detector.outcome;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.trapline.deadletter.DeadLetterRouter;
import org.trapline.detector.redact.RedactionJournal;
import org.trapline.detector.repeat.RepeatDetections;
import org.trapline.detector.species.DetectorSpecies;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.SpeciesClassification;
import org.trapline.topics.Topics;

/**
 * What one poll comes to: the records its transaction sends, in order, and what is done once it commits (the
 * frames counted by outcome, the boxes counted at their places, the originals of redacted frames taken out).
 */
public final class PollOutcome {

    private final Serializer<FrameDetections> detections;
    private final DeadLetterRouter deadLetters;
    private final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    private final List<String> outcomes = new ArrayList<>();
    private final List<SpeciesClassification> classifications = new ArrayList<>();
    private final List<RepeatDetections.Split> observed = new ArrayList<>();
    private final List<RedactionJournal.Removal> removals = new ArrayList<>();
    private final List<String> redacted = new ArrayList<>();
    private int speciesDeadLetters;

    PollOutcome(Serializer<FrameDetections> detections, DeadLetterRouter deadLetters) {
        this.detections = detections;
        this.deadLetters = deadLetters;
    }

    /** A frame's result, published on {@code detections} keyed by camera. */
    void publish(FrameDetections result) {
        add(new ProducerRecord<>(Topics.DETECTIONS.name(), result.getCameraId().getBytes(StandardCharsets.UTF_8),
                        detections.serialize(Topics.DETECTIONS.name(), result)),
                result.getRedacted() ? "redacted" : result.getEmpty() ? "empty" : "detected");
        classifications.addAll(result.getClassifications());
    }

    /** A record the detector cannot do anything with, aside with why. */
    void deadLetter(ConsumerRecord<byte[], byte[]> record, Throwable why) {
        add(deadLetters.deadLetter(record, why), "dead-letter");
    }

    void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
        deadLetter(record, new IOException(reason));
    }

    /** A frame published without some of its classifications: its record aside, but not a frame outcome of its own. */
    void speciesDeadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
        records.add(deadLetters.deadLetter(record, new IOException(reason)));
        speciesDeadLetters++;
    }

    /** A redacted frame: its original is taken out once the poll commits. */
    void redacted(String frameId, RedactionJournal.Removal removal) {
        redacted.add(frameId);
        removals.add(removal);
    }

    void observed(RepeatDetections.Split split) {
        observed.add(split);
    }

    private void add(ProducerRecord<byte[], byte[]> record, String outcome) {
        records.add(record);
        outcomes.add(outcome);
    }

    /**
     * Sends the poll's records, together once the whole poll is decided: a few produce requests instead of one a
     * frame, for this process and the broker; nobody reading committed records sees them sooner anyway.
     */
    public void sendAll(Producer<byte[], byte[]> producer) {
        records.forEach(producer::send);
    }

    /** The records the transaction sends, in order. */
    public List<ProducerRecord<byte[], byte[]>> records() {
        return List.copyOf(records);
    }

    /** Each frame's outcome (detected, empty, redacted, dead-letter), in the poll's order. */
    public List<String> outcomes() {
        return List.copyOf(outcomes);
    }

    /** The originals to take out once the poll commits. */
    public List<RedactionJournal.Removal> removals() {
        return List.copyOf(removals);
    }

    /** The frames whose originals those are. */
    public List<String> redactedFrameIds() {
        return List.copyOf(redacted);
    }

    /** The boxes to count at their places on their cameras once the poll commits. */
    public List<RepeatDetections.Split> observed() {
        return List.copyOf(observed);
    }

    /** Counts what the committed poll published. */
    public void count(MeterRegistry metrics, DetectorSpecies species) {
        outcomes.forEach(outcome -> Counter.builder("trapline.detector.frames").tag("outcome", outcome).register(metrics).increment());
        if (species != null) {
            species.committed(classifications);
        }
        if (speciesDeadLetters > 0) {
            Counter.builder("trapline.detector.species.dead.letters")
                    .description("frames published without some classification, their records dead-lettered")
                    .register(metrics).increment(speciesDeadLetters);
        }
    }
}
