package org.trapline.detector;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import io.javalin.Javalin;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.auth.ApiKeys;
import org.trapline.blob.BlobKeys;
import org.trapline.blob.BlobStore;
import org.trapline.blob.BlobStores;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.deadletter.DeadLetterRouter;
import org.trapline.detector.export.MegaDetectorExport;
import org.trapline.detector.model.Box;
import org.trapline.detector.model.DetectorModel;
import org.trapline.detector.model.PreparedImage;
import org.trapline.detector.redact.RedactionJournal;
import org.trapline.detector.redact.Redactor;
import org.trapline.detector.repeat.RepeatDetections;
import org.trapline.detector.species.BoxSpecies;
import org.trapline.detector.species.DetectorSpecies;
import org.trapline.detector.species.FrameCrops;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.Frame;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.ModelInfo;
import org.trapline.schema.SpeciesClassification;
import org.trapline.topics.TopicSetup;
import org.trapline.topics.Topics;

/**
 * The detector service: reads every {@link Frame}, runs a real detection network on its image, and
 * decides what is on it (animals, vehicles, nothing, or people to be redacted), publishing one
 * {@link FrameDetections} per frame on {@code detections}, keyed by camera.
 *
 * <p>Exactly once: the detections of a poll and the consumer's offsets are committed in one Kafka
 * transaction, so a crash repeats a batch's work but never publishes it twice or loses it. A redacted
 * frame's original is removed only after the commit, through a {@link RedactionJournal} named in the
 * committed offsets, so that a crash between the two cannot leave it readable; its published result is
 * kept beside the blobs, so a retry that finds the image gone republishes the same decision. A frame
 * that cannot be read (not Avro, its image missing or undecodable) goes to the dead-letter topic with the
 * reason.
 *
 * <p>The work runs as a pipeline, so that the network never waits: while one poll's frames are decided,
 * published and committed on the loop thread, the next poll's are already being read from the blob
 * store, decoded and letterboxed (on the decoding thread) and run through the network (on the inference
 * threads). Nothing of the next poll is sent before the current one commits, so each transaction holds
 * exactly one poll's results and offsets.
 *
 * <p>The species stage ({@link DetectorSpecies}, when {@code species.*} has it on) runs inside that
 * pipeline: each frame's animal boxes are cropped on the inference thread as soon as they are found, from
 * the picture decoded for the network, and once the whole poll is detected its crops go through the
 * classifier together (on the species thread), while the poll before is still being committed. The
 * answers are written into the frames' {@code FrameDetections}, so the same transaction covers them. A
 * crop the stage cannot name costs only its answer: the frame is published with its detections, and its
 * record goes to the dead-letter topic with the reason, for the classification to be redone.
 */
public final class DetectorService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DetectorService.class);
    public static final String SERVICE = "detector";

    private final DetectorSettings settings;
    private final DetectorModel model;
    private final BlobStore blobs;
    private final FrameDetector decider;
    private final Redactor redactor;
    private final RepeatDetections repeats;
    private final ApiKeys keys;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Deserializer<Frame> frames;
    private final Serializer<FrameDetections> detections;
    private final DeadLetterRouter deadLetters;
    private final PrometheusMeterRegistry metrics;
    private final RedactionJournal journal;
    /** The species stage; null when it is off. */
    private final DetectorSpecies species;
    private final ExecutorService classifying;
    private final int batchSize;
    private final ExecutorService inference;
    private final ExecutorService decoding;
    private final Javalin http;
    private final Thread loop;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Timer inferenceTime;
    private final Timer prepareTime;
    private final AfterCommit afterCommit;
    /** The batch read and under way but not yet committed; only the loop thread touches it. */
    private InFlight inFlight;
    /** Redaction journals committed but not yet completed (the store failed): retried, and kept in the offsets. */
    private final SequencedSet<String> unfinishedRedactions = new LinkedHashSet<>();

    private DetectorService(TraplineConfig config, AfterCommit afterCommit) throws IOException {
        this.afterCommit = afterCommit;
        this.settings = DetectorSettings.fromConfig(config);
        this.model = DetectorModel.load(settings.model());
        this.blobs = BlobStores.fromConfig(config);
        this.redactor = new Redactor(blobs, settings.redaction());
        this.journal = new RedactionJournal(blobs);
        this.batchSize = batchSize(settings.batchSize(), model.batchLimit());
        this.repeats = new RepeatDetections(blobs, settings.repeats());
        this.keys = ApiKeys.fromConfig(config);
        this.decider = new FrameDetector(settings.model().labels(), settings.thresholds(),
                new ModelInfo(settings.model().name(), settings.model().version()), redactor, repeats, Clock.systemUTC());
        KafkaClientSettings clients = new KafkaClientSettings(config);
        String instance = config.get("detector.instance.id", hostName());
        Map<String, Object> consumerProps = clients.consumer(SERVICE, SERVICE + "-" + instance);
        consumerProps.put("max.poll.records", config.getInt("detector.max.poll.records", 32));
        // static membership: a restarted detector takes its partitions back at once instead of waiting out
        // the dead member's session; the instance id must be unique anyway, as the transactional id is
        consumerProps.put("group.instance.id", SERVICE + "-" + instance);
        this.consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(clients.producer(SERVICE + "-" + instance, SERVICE + "-" + instance),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.frames = Topics.FRAMES.valueSerde(config).deserializer();
        this.detections = Topics.DETECTIONS.valueSerde(config).serializer();
        this.deadLetters = new DeadLetterRouter(SERVICE, Topics.DEAD_LETTERS.valueSerde(config).serializer(), Clock.systemUTC());
        this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new KafkaClientMetrics(consumer).bindTo(metrics);
        new KafkaClientMetrics(producer).bindTo(metrics);
        this.inferenceTime = Timer.builder("trapline.detector.inference").publishPercentileHistogram()
                .description("one inference call (a batch of frames)").register(metrics);
        this.prepareTime = Timer.builder("trapline.detector.prepare")
                .description("one frame's image read, decoded and letterboxed, ahead of inference").register(metrics);
        this.inference = Executors.newFixedThreadPool(settings.model().threads(), named("detector-inference"));
        this.decoding = Executors.newFixedThreadPool(config.getInt("detector.decode.threads", 1), named("detector-decode"));
        this.species = DetectorSpecies.fromConfig(config, metrics).orElse(null);
        this.classifying = species == null ? null : Executors.newFixedThreadPool(species.threads(), named("detector-species"));
        this.http = Javalin.create(c -> {
            c.useVirtualThreads = true;
            c.showJavalinBanner = false;
            c.jsonMapper(new io.javalin.json.JavalinJackson(new com.fasterxml.jackson.databind.ObjectMapper()
                    .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                    .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS), true));
        });
        http.get("/health", ctx -> ctx.json(Map.of("status", loopAlive() ? "UP" : "DOWN")).status(loopAlive() ? 200 : 503));
        http.get("/ready", ctx -> ctx.status(loopAlive() && blobs.writable() ? 200 : 503));
        http.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        http.get("/api/repeat-detections", ctx -> ctx.json(ctx.queryParam("camera") == null ? repeats.review()
                : repeats.review(ctx.queryParam("camera"))));
        http.get("/api/exports/megadetector", ctx -> {
            String site = ctx.queryParam("site");
            if (site == null || site.isBlank()) {
                ctx.status(400).json(Map.of("status", 400, "error", "which site? /api/exports/megadetector?site=S[&from=ISO][&to=ISO]"));
                return;
            }
            try {
                var query = new MegaDetectorExport.Query(site, instant(ctx.queryParam("from")), instant(ctx.queryParam("to")));
                ctx.json(MegaDetectorExport.export(config, query, settings.thresholds().get(DetectionCategory.ANIMAL)));
            } catch (java.time.format.DateTimeParseException e) {
                ctx.status(400).json(Map.of("status", 400, "error", "from and to are ISO-8601 instants: " + e.getParsedString()));
            }
        });
        http.post("/api/repeat-detections/{camera}/{place}/allow", ctx -> {
            boolean operator = keys.authenticate(ctx.header("X-Api-Key")).map(ApiKeys.Principal::operator).orElse(false);
            if (!operator) {
                ctx.status(403).json(Map.of("status", 403, "error", "only an operator's key (X-Api-Key) may allow a place"));
                return;
            }
            repeats.allow(ctx.pathParam("camera"), ctx.pathParam("place")).ifPresentOrElse(ctx::json,
                    () -> ctx.status(404).json(Map.of("status", 404, "error", "no such place on camera '" + ctx.pathParam("camera") + "'")));
        });
        this.loop = new Thread(this::run, "detector-loop");
    }

    public static DetectorService start(TraplineConfig config) throws IOException {
        return start(config, redacted -> { });
    }

    /** For tests: {@code afterCommit} runs right after each batch's commit, where a crash would hurt most. */
    static DetectorService start(TraplineConfig config, AfterCommit afterCommit) throws IOException {
        new TopicSetup(config).run();
        DetectorService service = new DetectorService(config, afterCommit);
        service.producer.initTransactions();
        service.consumer.subscribe(List.of(Topics.FRAMES.name()), service.new Rebalance());
        service.loop.start();
        service.http.start(config.get("detector.http.host", "127.0.0.1"), config.getInt("detector.http.port", 8083));
        log.info("detector running {} ({}, {} frame(s) per inference call; species stage {}) on port {}",
                service.settings.model().name(), service.settings.model().family(), service.batchSize,
                service.species == null ? "off" : service.species.stage().settings().classifier().name(), service.http.port());
        return service;
    }

    public int port() {
        return http.port();
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /** Frames per inference call: as configured where the network's batch dimension is dynamic, else what it fixes. */
    static int batchSize(int configured, int modelLimit) {
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

    private boolean loopAlive() {
        return loop.isAlive();
    }

    /** Runs once a batch is committed and before its redactions are completed; a test's crash point. */
    @FunctionalInterface
    interface AfterCommit {
        void run(List<String> redactedFrameIds);
    }

    private void run() {
        try {
            while (running.get()) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    // with a batch under way, only take what the consumer has already fetched
                    records = consumer.poll(inFlight == null ? Duration.ofMillis(500) : Duration.ZERO);
                } catch (WakeupException e) {
                    if (running.get()) {
                        throw e;
                    }
                    break;
                }
                InFlight next = records.isEmpty() ? null : submit(records);
                InFlight current = inFlight;
                inFlight = next;
                if (current != null && !commit(current)) {
                    discard(next);  // the consumer was rewound to the committed offsets: it is read again
                    inFlight = null;
                }
                if (inFlight == null && !unfinishedRedactions.isEmpty()) {
                    finishRedactions(List.copyOf(unfinishedRedactions));
                }
            }
            if (inFlight != null) {
                commit(inFlight);  // stopping: what was read and worked on is still committed
                inFlight = null;
            }
        } catch (WakeupException e) {
            log.error("detector loop woken unexpectedly", e);
        } catch (ProducerFencedException e) {
            log.error("another detector with the same instance id took over: stopping", e);
        } catch (RuntimeException e) {
            log.error("detector loop failed: stopping (the uncommitted batch is redone on restart)", e);
        } finally {
            // a static member leaves on a clean stop, so that another instance id may take over at once;
            // after a crash it stays, and the same instance restarted takes its partitions back
            consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(5)));
        }
    }

    /** What became of one record of a poll, once its work is done. */
    private sealed interface Step permits NotAFrame, FrameStep {
    }

    /** A record that is not a readable {@code Frame}: a dead letter. */
    private record NotAFrame(ConsumerRecord<byte[], byte[]> record, RuntimeException error) implements Step {
    }

    /** A frame, its image being read and prepared, then its boxes found, then its animals named. */
    private record FrameStep(ConsumerRecord<byte[], byte[]> record, Frame frame, CompletableFuture<Loaded> loaded,
                             CompletableFuture<Detected> detected, CompletableFuture<BoxSpecies> species) implements Step {
    }

    /**
     * A frame's image: its bytes (empty when not in the store), whether they are a picture, or why the
     * record is refused.
     */
    private record Loaded(Optional<byte[]> bytes, boolean decoded, String refusal) {
        Loaded(Optional<byte[]> bytes, boolean decoded) {
            this(bytes, decoded, null);
        }
    }

    /**
     * A frame's image and its picture ready for the network (null when the bytes are not a picture). Held
     * only until the network and the species crops are done with it: the frame's step keeps the
     * {@link Loaded} alone, so the decoded pictures of a poll do not wait for its commit. Redaction, for
     * the few frames with people, decodes the bytes whole again.
     */
    private record Prepared(Loaded loaded, PreparedImage image) {
    }

    /** The network's boxes on a frame, and the crops of those the species stage names. */
    private record Detected(List<Box> boxes, FrameCrops crops) {
    }

    /** One poll under way. */
    private record InFlight(ConsumerRecords<byte[], byte[]> records, List<Step> steps) {
    }

    /** Starts the work on a poll's frames: reading, decoding, inference and species run ahead on their own threads. */
    private InFlight submit(ConsumerRecords<byte[], byte[]> records) {
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
        return new InFlight(records, steps);
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
     * Names the animals of a whole poll once all its frames are detected: their crops through the
     * classifier together, on the species thread, while the loop commits the poll before.
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
                        throw new java.util.concurrent.CancellationException("stopping");
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
                resultKey(frame);  // its result may be kept under its id
                bytes = blobs.get(frame.getBlob().getUri());
            } catch (IllegalArgumentException e) {
                // a key no blob can have (".." or odd characters): the record is wrong, not the store
                return new Prepared(new Loaded(Optional.empty(), false, "frame " + frame.getFrameId()
                        + " names a blob key the store refuses: " + e.getMessage()), null);
            }
            PreparedImage prepared = bytes.flatMap(model::prepare).orElse(null);
            return new Prepared(new Loaded(bytes, prepared != null), prepared);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);  // the store failed: the whole poll is read again
        } finally {
            prepareTime.record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * The network on one batch (an inference thread), then the crops of each frame's animals, cut from
     * the picture the network saw before it is let go; a frame without a picture gets no boxes (it is
     * dead-lettered).
     */
    private List<Detected> detect(List<FrameStep> steps, List<Prepared> batch) {
        List<PreparedImage> images = batch.stream().map(Prepared::image).filter(java.util.Objects::nonNull).toList();
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

    /**
     * Decides, publishes and commits one poll, in one transaction with its offsets, then completes its
     * redactions. False when the transaction was aborted and the consumer rewound to the committed offsets.
     */
    private boolean commit(InFlight batch) {
        ConsumerRecords<byte[], byte[]> records = batch.records();
        List<RepeatDetections.Split> observed = new ArrayList<>();
        List<RedactionJournal.Removal> removals = new ArrayList<>();
        List<String> redacted = new ArrayList<>();
        Outbox outbox = new Outbox();
        String opened = null;
        producer.beginTransaction();
        try {
            for (Step step : batch.steps()) {
                switch (step) {
                    case NotAFrame bad -> outbox.add(deadLetters.deadLetter(bad.record(), bad.error()), "dead-letter");
                    case FrameStep frame -> decide(frame, outbox, observed, removals, redacted);
                }
            }
            // sent together, once the whole poll is decided: a few produce requests instead of one a
            // frame, for this process and the broker; nobody reading committed records sees them sooner anyway
            outbox.sendAll();
            List<String> pending = new ArrayList<>();
            if (!removals.isEmpty()) {
                opened = journal.open(removals);
                pending.add(opened);
            }
            pending.addAll(unfinishedRedactions.reversed());
            String metadata = RedactionJournal.metadata(pending);
            if (RedactionJournal.keys(metadata).size() < pending.size()) {
                log.error("{} redaction journals are unfinished and not all fit in the offsets: if this process dies, "
                        + "complete the oldest of {} by hand", pending.size(), unfinishedRedactions);
            }
            producer.sendOffsetsToTransaction(nextOffsets(records, metadata), consumer.groupMetadata());
            producer.commitTransaction();
        } catch (ProducerFencedException e) {
            throw e;
        } catch (KafkaException | IOException | InterruptedException e) {
            log.warn("batch of {} frames not committed, it will be read again: {}", records.count(), e.toString());
            producer.abortTransaction();
            if (opened != null) {
                discardJournal(opened);
            }
            rewind();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
        outbox.counted();
        afterCommit.run(redacted);
        repeats.record(observed);
        if (opened != null) {
            unfinishedRedactions.add(opened);
        }
        finishRedactions(List.copyOf(unfinishedRedactions));
        return true;
    }

    /** One frame's result, published in the current transaction. */
    private void decide(FrameStep step, Outbox outbox, List<RepeatDetections.Split> observed,
                        List<RedactionJournal.Removal> removals, List<String> redacted) throws IOException, InterruptedException {
        Frame frame = step.frame();
        Loaded loaded = join(step.loaded());
        if (loaded.refusal() != null) {
            outbox.deadLetter(step.record(), loaded.refusal());
            return;
        }
        if (loaded.bytes().isEmpty()) {
            Optional<byte[]> earlier = blobs.get(resultKey(frame));
            if (earlier.isPresent()) {
                outbox.add(FrameDetections.fromByteBuffer(ByteBuffer.wrap(earlier.get())));
            } else {
                outbox.deadLetter(step.record(), "image " + frame.getBlob().getStore() + ":" + frame.getBlob().getUri()
                        + " of frame " + frame.getFrameId() + " is not in the blob store");
            }
            return;
        }
        byte[] bytes = loaded.bytes().get();
        if (!loaded.decoded()) {
            outbox.deadLetter(step.record(), "image of frame " + frame.getFrameId() + " cannot be decoded ("
                    + frame.getMediaType() + ", " + bytes.length + " bytes)");
            return;
        }
        List<Box> boxes = join(step.detected()).boxes();
        BoxSpecies named = join(step.species());
        FrameDetector.Decision decision;
        try {
            decision = decider.decide(frame, bytes, boxes, named);
        } catch (Redactor.UnreadableImageException e) {
            outbox.deadLetter(step.record(), "frame " + frame.getFrameId() + " has a person on it but " + e.getMessage());
            return;
        }
        FrameDetections result = decision.result();
        observed.add(decision.repeats());
        if (result.getRedacted()) {
            // kept before the commit: a retry finds the decision even once the original is gone
            blobs.put(resultKey(frame), toBytes(result.toByteBuffer()));
            removals.add(redactor.removal(frame.getBlob()));
            redacted.add(frame.getFrameId());
        }
        outbox.add(result);
        if (!decision.speciesFailures().isEmpty()) {
            // the detections are published all the same; the frame's record goes aside with why, so that
            // its classification can be redone
            StringBuilder reason = new StringBuilder("species stage: frame " + frame.getFrameId()
                    + " published without the classification of");
            decision.speciesFailures().forEach((index, why) -> reason.append(" detection ").append(index).append(" (")
                    .append(why).append(");"));
            outbox.speciesDeadLetter(step.record(), reason.substring(0, reason.length() - 1));
        }
    }

    /** One poll's records to send in its transaction, in order, and what to count once it commits. */
    private final class Outbox {
        private final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        private final List<String> outcomes = new ArrayList<>();
        private final List<SpeciesClassification> classifications = new ArrayList<>();
        private int speciesDeadLetters;

        void add(ProducerRecord<byte[], byte[]> record, String outcome) {
            records.add(record);
            outcomes.add(outcome);
        }

        void add(FrameDetections result) {
            add(new ProducerRecord<>(Topics.DETECTIONS.name(), result.getCameraId().getBytes(StandardCharsets.UTF_8),
                    detections.serialize(Topics.DETECTIONS.name(), result)),
                    result.getRedacted() ? "redacted" : result.getEmpty() ? "empty" : "detected");
            classifications.addAll(result.getClassifications());
        }

        void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
            add(deadLetters.deadLetter(record, new IOException(reason)), "dead-letter");
        }

        /** A frame published without some of its classifications: not a frame outcome of its own. */
        void speciesDeadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
            records.add(deadLetters.deadLetter(record, new IOException(reason)));
            speciesDeadLetters++;
        }

        void sendAll() {
            records.forEach(producer::send);
        }

        void counted() {
            outcomes.forEach(DetectorService.this::count);
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

    /** Completes committed redactions; those the store fails on stay named in the offsets and are tried again. */
    private void finishRedactions(Collection<String> journals) {
        for (String key : journals) {
            try {
                journal.complete(key);
                unfinishedRedactions.remove(key);
            } catch (IOException | RuntimeException e) {
                unfinishedRedactions.add(key);
                log.error("redaction journal {}: originals not yet taken out of the store, will try again: {}", key, e.toString());
            }
        }
    }

    private void discardJournal(String key) {
        try {
            journal.discard(key);
        } catch (IOException e) {
            log.warn("redaction journal {} of an aborted batch not removed (harmless: nothing refers to it)", key);
        }
    }

    /** Stops waiting for a batch whose records will be read again. */
    private static void discard(InFlight batch) {
        if (batch != null) {
            batch.steps().forEach(step -> {
                if (step instanceof FrameStep frame) {
                    frame.loaded().cancel(false);
                    frame.detected().cancel(false);
                    frame.species().cancel(false);
                }
            });
        }
    }

    /**
     * Partitions given to this instance may carry redactions that their last owner committed but did not
     * complete (it crashed in between): complete them before any of their frames is processed. Partitions
     * taken away: commit what is under way first, while they are still ours.
     */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (inFlight != null && !partitions.isEmpty()) {
                InFlight current = inFlight;
                inFlight = null;
                commit(current);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            discard(inFlight);  // no longer ours: its offsets could not be committed
            inFlight = null;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Set<String> journals = new LinkedHashSet<>();
            consumer.committed(Set.copyOf(partitions)).values().forEach(offset -> {
                if (offset != null) {
                    journals.addAll(RedactionJournal.keys(offset.metadata()));
                }
            });
            if (!journals.isEmpty()) {
                log.info("completing {} redaction(s) committed by this partition's last owner: {}", journals.size(), journals);
                finishRedactions(journals);
            }
        }
    }

    private static <T> T join(CompletableFuture<T> future) throws InterruptedException, IOException {
        try {
            return future.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof java.io.UncheckedIOException io) {
                throw io.getCause();
            }
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    private void count(String outcome) {
        Counter.builder("trapline.detector.frames").tag("outcome", outcome).register(metrics).increment();
    }

    private static java.time.Instant instant(String value) {
        return value == null || value.isBlank() ? null : java.time.Instant.parse(value);
    }

    private static String resultKey(Frame frame) {
        return BlobKeys.of("detections", frame.getFrameId());
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> records, String metadata) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> list = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1, metadata));
        }
        return offsets;
    }

    /** After an aborted transaction: read everything again from the last committed offsets. */
    private void rewind() {
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
        for (TopicPartition partition : assigned) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset != null) {
                consumer.seek(partition, offset.offset());
            } else {
                consumer.seekToBeginning(List.of(partition));  // as auto.offset.reset would for a new group
            }
        }
    }

    private static byte[] toBytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        return Thread.ofPlatform().name(prefix + "-", 1).daemon(true).factory();
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "detector";
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            loop.join(Duration.ofSeconds(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.stop();
        inference.shutdownNow();
        decoding.shutdownNow();
        if (classifying != null) {
            classifying.shutdownNow();
        }
        producer.close(Duration.ofSeconds(5));
        model.close();
        if (species != null) {
            species.close();
        }
        metrics.close();
    }

    public static void main(String[] args) throws Exception {
        TraplineConfig config = TraplineConfig.load(args.length > 0 ? Path.of(args[0]) : null, System.getenv());
        DetectorService service = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "detector-shutdown"));
        Thread.currentThread().join();
    }
}
