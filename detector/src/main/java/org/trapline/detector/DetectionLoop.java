package org.trapline.detector;

import java.io.IOException;
import java.util.Collection;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.trapline.detector.outcome.FrameOutcomes;
import org.trapline.detector.outcome.PollOutcome;
import org.trapline.detector.pipeline.DetectionPipeline;
import org.trapline.detector.pipeline.PollWork;
import org.trapline.detector.redact.RedactionRecovery;
import org.trapline.detector.repeat.RepeatDetections;
import org.trapline.detector.species.DetectorSpecies;
import org.trapline.runtime.loop.LoopClients;
import org.trapline.runtime.loop.LoopSettings;
import org.trapline.runtime.loop.TransactionalLoop;
import org.trapline.topics.Topics;

/**
 * The detector's loop over {@code frames}: each poll's work started in the {@link DetectionPipeline} as soon as it
 * is read, while the poll before it is decided ({@link FrameOutcomes}) and committed, its results and offsets in one
 * transaction; the offsets name the poll's redaction journal ({@link RedactionRecovery}), whose originals are taken
 * out once the commit is through.
 */
final class DetectionLoop extends TransactionalLoop<PollWork> {

    /** Runs once a batch is committed and before its redactions are completed; a test's crash point. */
    @FunctionalInterface
    interface AfterCommit {
        void run(List<String> redactedFrameIds);
    }

    private final DetectionPipeline pipeline;
    private final FrameOutcomes outcomes;
    private final RedactionRecovery redactions;
    private final RepeatDetections repeats;
    /** The species stage, whose answers are counted once committed; null when it is off. */
    private final DetectorSpecies species;
    private final MeterRegistry metrics;
    private final AfterCommit afterCommit;
    /** What the batch in its transaction comes to; only the loop thread touches it. */
    private PollOutcome deciding;

    DetectionLoop(LoopSettings settings, LoopClients clients, DetectionPipeline pipeline, FrameOutcomes outcomes,
                  RedactionRecovery redactions, RepeatDetections repeats, DetectorSpecies species, MeterRegistry metrics,
                  AfterCommit afterCommit) {
        super(settings, clients, List.of(Topics.FRAMES.name()), ReadAhead.ONE_POLL);
        this.pipeline = pipeline;
        this.outcomes = outcomes;
        this.redactions = redactions;
        this.repeats = repeats;
        this.species = species;
        this.metrics = metrics;
        this.afterCommit = afterCommit;
    }

    @Override
    protected PollWork begin(ConsumerRecords<byte[], byte[]> records) {
        return pipeline.submit(records);
    }

    @Override
    protected void produce(PollWork work, Producer<byte[], byte[]> producer) throws IOException, InterruptedException {
        deciding = outcomes.decide(work);
        deciding.sendAll(producer);
    }

    @Override
    protected String offsetMetadata(PollWork work) throws IOException {
        return redactions.offsetMetadata(deciding.removals());
    }

    @Override
    protected void committed(PollWork work) {
        PollOutcome done = deciding;
        deciding = null;
        done.count(metrics, species);
        afterCommit.run(done.redactedFrameIds());
        repeats.record(done.observed());
        redactions.committed();
    }

    @Override
    protected void aborted(PollWork work, Exception cause) {
        deciding = null;
        redactions.aborted();
    }

    @Override
    protected void discard(PollWork work) {
        pipeline.discard(work);
    }

    @Override
    protected void assigned(Collection<TopicPartition> partitions) {
        redactions.completeLeftBy(committedOffsets(partitions).values());
    }

    @Override
    protected void idle() {
        redactions.retry();
    }
}
