package org.trapline.detector.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.blob.BlobStore;
import org.trapline.detector.FrameDetector;
import org.trapline.detector.model.Box;
import org.trapline.detector.model.DetectorModel;
import org.trapline.detector.model.PreparedImage;
import org.trapline.detector.pipeline.Step.Detected;
import org.trapline.detector.pipeline.Step.FrameStep;
import org.trapline.detector.pipeline.Step.Loaded;
import org.trapline.detector.pipeline.Step.NotAFrame;
import org.trapline.detector.redact.KeptResults;
import org.trapline.detector.species.BoxSpecies;
import org.trapline.detector.species.DetectorSpecies;
import org.trapline.detector.species.FrameCrops;
import org.trapline.schema.Frame;

/**
 * The detector's work on a poll, as asynchronous stages on their own threads, so that the network never waits:
 * each frame's image read from the blob store, decoded and letterboxed (the decoding threads), run through the
 * network in batches of the poll's frames (the inference threads), its animal boxes cropped from the picture the
 * network saw, and once the whole poll is detected its crops classified together (the species threads). The
 * loop decides and commits one poll while the next one's work runs here.
 */
public final class DetectionPipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DetectionPipeline.class);

    private final DetectorModel model;
    private final BlobStore blobs;
    private final FrameDetector decider;
    /** The species stage; null when it is off. */
    private final DetectorSpecies species;
    private final Deserializer<Frame> frames;
    private final int batchSize;
    private final ExecutorService decoding;
    private final ExecutorService inference;
    private final ExecutorService classifying;
    private final Timer inferenceTime;
    private final Timer prepareTime;

    /**
     * @param species      the species stage, or null when it is off
     * @param decodeThreads threads reading and decoding images ahead of inference ({@code detector.decode.threads})
     */
    public DetectionPipeline(DetectorModel model, BlobStore blobs, FrameDetector decider, DetectorSpecies species,
                             Deserializer<Frame> frames, int batchSize, int inferenceThreads, int decodeThreads,
                             MeterRegistry metrics) {
        this.model = model;
        this.blobs = blobs;
        this.decider = decider;
        this.species = species;
        this.frames = frames;
        this.batchSize = batchSize;
        this.inference = Executors.newFixedThreadPool(inferenceThreads, named("detector-inference"));
        this.decoding = Executors.newFixedThreadPool(decodeThreads, named("detector-decode"));
        this.classifying = species == null ? null : Executors.newFixedThreadPool(species.threads(), named("detector-species"));
        this.inferenceTime = Timer.builder("trapline.detector.inference").publishPercentileHistogram()
                .description("one inference call (a batch of frames)").register(metrics);
        this.prepareTime = Timer.builder("trapline.detector.prepare")
                .description("one frame's image read, decoded and letterboxed, ahead of inference").register(metrics);
    }

    /** Frames per inference call: as configured where the network's batch dimension is dynamic, else what it fixes. */
    public static int batchSize(int configured, int modelLimit) {
        if (configured < 1) {
            throw new IllegalArgumentException("detector.batch.size must be at least 1, not " + configured);
        }
        if (configured > modelLimit) {
            log.warn("detector.batch.size is {} but the network's batch dimension is fixed at {}: {} frame(s) per call",
                    configured, modelLimit, modelLimit);
            return modelLimit;
        }
        return configured;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Starts the work on a poll's frames: reading, decoding, inference and species run ahead on their own threads. */
    public PollWork submit(ConsumerRecords<byte[], byte[]> records) {
        List<Step> steps = new ArrayList<>(records.count());
        List<FrameStep> frameSteps = new ArrayList<>(records.count());
        List<FrameStep> batch = new ArrayList<>(batchSize);
        List<CompletableFuture<Prepared>> images = new ArrayList<>(batchSize);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Frame frame;
            try {
                frame = frames.deserialize(record.topic(), record.headers(), record.value());
                if (frame == null) {
                    throw new IllegalArgumentException("empty value (tombstone) where a record was expected");
                }
            } catch (RuntimeException e) {
                steps.add(new NotAFrame(record, e));  // sent as a dead letter in this poll's transaction
                continue;
            }
            CompletableFuture<Prepared> prepared = CompletableFuture.supplyAsync(() -> load(frame), decoding);
            FrameStep step = new FrameStep(record, frame, prepared.thenApply(Prepared::loaded), new CompletableFuture<>(),
                    new CompletableFuture<>());
            steps.add(step);
            frameSteps.add(step);
            batch.add(step);
            images.add(prepared);
            if (batch.size() == batchSize) {
                schedule(batch, images);
                batch = new ArrayList<>(batchSize);
                images = new ArrayList<>(batchSize);
            }
        }
        if (!batch.isEmpty()) {
            schedule(batch, images);
        }
        classifyWhenDetected(frameSteps);
        return new PollWork(steps);
    }

    /** Stops waiting for a poll whose records will be read again, or are no longer this instance's. */
    public void discard(PollWork work) {
        work.steps().forEach(step -> {
            if (step instanceof FrameStep frame) {
                frame.cancel();
            }
        });
    }

    /**
     * A frame's image and its picture ready for the network (null when the bytes are not a picture). Held only until
     * the network and the species crops are done with it: the frame's step keeps the {@link Loaded} alone, so the
     * decoded pictures of a poll do not wait for its commit. Redaction, for the few frames with people, decodes the
     * bytes whole again.
     */
    private record Prepared(Loaded loaded, PreparedImage image) {
    }

    /** Runs the network on a batch once all its frames are prepared (frames are batched only within a poll). */
    private void schedule(List<FrameStep> batch, List<CompletableFuture<Prepared>> images) {
        CompletableFuture.allOf(images.toArray(CompletableFuture[]::new))
                .thenApplyAsync(ignored -> detect(batch, images.stream().map(CompletableFuture::join).toList()), inference)
                .whenComplete((detected, error) -> {
                    for (int i = 0; i < batch.size(); i++) {
                        if (error != null) {
                            batch.get(i).detected().completeExceptionally(error);
                        } else {
                            batch.get(i).detected().complete(detected.get(i));
                        }
                    }
                });
    }

    /**
     * Names the animals of a whole poll once all its frames are detected: their crops through the classifier
     * together, on the species thread, while the loop commits the poll before.
     */
    private void classifyWhenDetected(List<FrameStep> poll) {
        if (species == null) {
            poll.forEach(step -> step.species().complete(BoxSpecies.NONE));
            return;
        }
        CompletableFuture.allOf(poll.stream().map(FrameStep::detected).toArray(CompletableFuture[]::new))
                .thenApplyAsync(ignored -> {
                    try {
                        return species.classify(poll.stream().map(step -> step.detected().join().crops()).toList());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new CancellationException("stopping");
                    }
                }, classifying)
                .whenComplete((named, error) -> {
                    for (int i = 0; i < poll.size(); i++) {
                        if (error != null) {
                            poll.get(i).species().completeExceptionally(error);
                        } else {
                            poll.get(i).species().complete(named.get(i));
                        }
                    }
                });
    }

    /** Reads, decodes and letterboxes a frame's image (the decoding thread). */
    private Prepared load(Frame frame) {
        long start = System.nanoTime();
        try {
            Optional<byte[]> bytes;
            try {
                KeptResults.key(frame);  // its result may be kept under its id
                bytes = blobs.get(frame.getBlob().getUri());
            } catch (IllegalArgumentException e) {
                // a key no blob can have (".." or odd characters): the record is wrong, not the store
                return new Prepared(new Loaded(Optional.empty(), false, "frame " + frame.getFrameId()
                        + " names a blob key the store refuses: " + e.getMessage()), null);
            }
            PreparedImage prepared = bytes.flatMap(model::prepare).orElse(null);
            return new Prepared(new Loaded(bytes, prepared != null), prepared);
        } catch (IOException e) {
            throw new UncheckedIOException(e);  // the store failed: the whole poll is read again
        } finally {
            prepareTime.record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * The network on one batch (an inference thread), then the crops of each frame's animals, cut from the picture
     * the network saw before it is let go; a frame without a picture gets no boxes (it is dead-lettered).
     */
    private List<Detected> detect(List<FrameStep> steps, List<Prepared> batch) {
        List<PreparedImage> images = batch.stream().map(Prepared::image).filter(Objects::nonNull).toList();
        List<List<Box>> found;
        try {
            found = images.isEmpty() ? List.of() : inferenceTime.recordCallable(() -> model.detectPrepared(images));
        } catch (Exception e) {
            throw new IllegalStateException("inference failed: " + e.getMessage(), e);
        }
        List<Detected> detected = new ArrayList<>(batch.size());
        int next = 0;
        for (int i = 0; i < batch.size(); i++) {
            PreparedImage image = batch.get(i).image();
            if (image == null) {
                detected.add(new Detected(List.of(), FrameCrops.NONE));
                continue;
            }
            List<Box> boxes = found.get(next++);
            FrameCrops crops = species == null ? FrameCrops.NONE : species.crop(image.decoded(), boxes,
                    decider.animalCandidates(boxes), species.place(steps.get(i).frame()));
            detected.add(new Detected(boxes, crops));
        }
        return detected;
    }

    private static ThreadFactory named(String prefix) {
        return Thread.ofPlatform().name(prefix + "-", 1).daemon(true).factory();
    }

    @Override
    public void close() {
        inference.shutdownNow();
        decoding.shutdownNow();
        if (classifying != null) {
            classifying.shutdownNow();
        }
    }
}
