package org.trapline.detector;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.imageio.ImageIO;

import io.javalin.Javalin;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
import org.trapline.detector.redact.Redactor;
import org.trapline.detector.repeat.RepeatDetections;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.Frame;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.ModelInfo;
import org.trapline.topics.TopicSetup;
import org.trapline.topics.Topics;

/**
 * The detector service: reads every {@link Frame}, runs a real detection network on its image, and
 * decides what is on it (animals, vehicles, nothing, or people to be redacted), publishing one
 * {@link FrameDetections} per frame on {@code detections}, keyed by camera.
 *
 * <p>Exactly once: the detections of a poll and the consumer's offsets are committed in one Kafka
 * transaction, so a crash repeats a batch's work but never publishes it twice or loses it. A redacted
 * frame's original is removed only after the commit; its published result is kept beside the blobs, so
 * a retry after a crash between the two republishes the same decision instead of looking for an image
 * that is gone. A frame that cannot be read (not Avro, its image missing or undecodable) goes to the
 * dead-letter topic with the reason.
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
    private final ExecutorService inference;
    private final ExecutorService decoding;
    private final Javalin http;
    private final Thread loop;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Timer inferenceTime;

    private DetectorService(TraplineConfig config) throws IOException {
        this.settings = DetectorSettings.fromConfig(config);
        this.model = DetectorModel.load(settings.model());
        this.blobs = BlobStores.fromConfig(config);
        this.redactor = new Redactor(blobs, settings.redaction());
        this.repeats = new RepeatDetections(blobs, settings.repeats());
        this.keys = ApiKeys.fromConfig(config);
        this.decider = new FrameDetector(settings.model().labels(), settings.thresholds(),
                new ModelInfo(settings.model().name(), settings.model().version()), redactor, repeats, Clock.systemUTC());
        KafkaClientSettings clients = new KafkaClientSettings(config);
        String instance = config.get("detector.instance.id", hostName());
        Map<String, Object> consumerProps = clients.consumer(SERVICE, SERVICE + "-" + instance);
        consumerProps.put("max.poll.records", config.getInt("detector.max.poll.records", 32));
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
        this.inference = Executors.newFixedThreadPool(settings.model().threads());
        this.decoding = Executors.newFixedThreadPool(config.getInt("detector.decode.threads", 1));
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
        new TopicSetup(config).run();
        DetectorService service = new DetectorService(config);
        service.producer.initTransactions();
        service.consumer.subscribe(List.of(Topics.FRAMES.name()));
        service.loop.start();
        service.http.start(config.get("detector.http.host", "127.0.0.1"), config.getInt("detector.http.port", 8083));
        log.info("detector running {} ({}) on port {}", service.settings.model().name(),
                service.settings.model().family(), service.http.port());
        return service;
    }

    public int port() {
        return http.port();
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    private boolean loopAlive() {
        return loop.isAlive();
    }

    private void run() {
        try {
            while (running.get()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    processInTransaction(records);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                log.error("detector loop woken unexpectedly", e);
            }
        } catch (ProducerFencedException e) {
            log.error("another detector with the same instance id took over: stopping", e);
        } catch (RuntimeException e) {
            log.error("detector loop failed: stopping (the uncommitted batch is redone on restart)", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** A frame read from the topic, with its image bytes and (soon) its decoded picture. */
    private record Pending(ConsumerRecord<byte[], byte[]> record, Frame frame, byte[] bytes,
                           CompletableFuture<BufferedImage> image) {
    }

    private void processInTransaction(ConsumerRecords<byte[], byte[]> records) {
        producer.beginTransaction();
        List<Frame> redactedFrames = new ArrayList<>();
        List<RepeatDetections.Split> observed = new ArrayList<>();
        try {
            List<Pending> pending = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                Optional<Frame> frame = deadLetters.decode(record, frames, producer);
                if (frame.isEmpty()) {
                    count("dead-letter");
                    continue;
                }
                imageBytes(record, frame.get()).ifPresent(bytes -> pending.add(new Pending(record, frame.get(), bytes,
                        CompletableFuture.supplyAsync(() -> decode(bytes), decoding))));
            }
            // decoding runs ahead on its own threads while the network works on the frames already decoded
            List<CompletableFuture<List<List<Box>>>> batches = new ArrayList<>();
            for (int start = 0; start < pending.size(); start += settings.batchSize()) {
                List<Pending> batch = pending.subList(start, Math.min(pending.size(), start + settings.batchSize()));
                batches.add(CompletableFuture.allOf(batch.stream().map(Pending::image).toArray(CompletableFuture[]::new))
                        .thenApplyAsync(ignored -> detect(batch), inference));
            }
            for (int b = 0; b < batches.size(); b++) {
                List<Pending> batch = pending.subList(b * settings.batchSize(), Math.min(pending.size(), (b + 1) * settings.batchSize()));
                List<List<Box>> boxes = join(batches.get(b));
                for (int i = 0; i < batch.size(); i++) {
                    Pending p = batch.get(i);
                    BufferedImage image = p.image().join();
                    if (image == null) {
                        producer.send(deadLetters.deadLetter(p.record(), new IOException("image of frame "
                                + p.frame().getFrameId() + " cannot be decoded (" + p.frame().getMediaType() + ", "
                                + p.bytes().length + " bytes)")));
                        count("dead-letter");
                        continue;
                    }
                    FrameDetector.Decision decision = decider.decide(p.frame(), p.bytes(), image, boxes.get(i));
                    FrameDetections result = decision.result();
                    observed.add(decision.repeats());
                    if (result.getRedacted()) {
                        // kept before the commit: a retry finds the decision even once the original is gone
                        blobs.put(resultKey(p.frame()), toBytes(result.toByteBuffer()));
                        redactedFrames.add(p.frame());
                    }
                    publish(result);
                }
            }
            producer.sendOffsetsToTransaction(nextOffsets(records), consumer.groupMetadata());
            producer.commitTransaction();
        } catch (ProducerFencedException e) {
            throw e;
        } catch (KafkaException | IOException | InterruptedException e) {
            log.warn("batch of {} frames not committed, it will be read again: {}", records.count(), e.toString());
            producer.abortTransaction();
            rewind(records);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        repeats.record(observed);
        for (Frame frame : redactedFrames) {
            try {
                redactor.removeOriginal(frame.getBlob());
            } catch (IOException e) {
                log.error("redacted frame {}: its original could not be removed, remove {} by hand",
                        frame.getFrameId(), frame.getBlob().getUri(), e);
            }
        }
    }

    /** The frame's image bytes; or its earlier result republished; or a dead letter saying why neither exists. */
    private Optional<byte[]> imageBytes(ConsumerRecord<byte[], byte[]> record, Frame frame) throws IOException {
        Optional<byte[]> bytes;
        try {
            resultKey(frame);  // its result may be kept under its id
            bytes = blobs.get(frame.getBlob().getUri());
        } catch (IllegalArgumentException e) {
            // a key no blob can have (".." or odd characters): the record is wrong, not the store
            producer.send(deadLetters.deadLetter(record, new IllegalArgumentException("frame " + frame.getFrameId()
                    + " names a blob key the store refuses", e)));
            count("dead-letter");
            return Optional.empty();
        }
        if (bytes.isEmpty()) {
            Optional<byte[]> earlier = blobs.get(resultKey(frame));
            if (earlier.isPresent()) {
                publish(FrameDetections.fromByteBuffer(ByteBuffer.wrap(earlier.get())));
            } else {
                producer.send(deadLetters.deadLetter(record, new IOException("image " + frame.getBlob().getStore() + ":"
                        + frame.getBlob().getUri() + " of frame " + frame.getFrameId() + " is not in the blob store")));
                count("dead-letter");
            }
        }
        return bytes;
    }

    /** The picture, or null when the bytes are not one. */
    private static BufferedImage decode(byte[] bytes) {
        try {
            return ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The network on one batch; a frame whose image did not decode gets no boxes (it is dead-lettered). */
    private List<List<Box>> detect(List<Pending> batch) {
        List<BufferedImage> images = batch.stream().map(p -> p.image().join()).filter(java.util.Objects::nonNull).toList();
        List<List<Box>> found;
        try {
            found = images.isEmpty() ? List.of() : inferenceTime.recordCallable(() -> model.detect(images));
        } catch (Exception e) {
            throw new IllegalStateException("inference failed: " + e.getMessage(), e);
        }
        List<List<Box>> boxes = new ArrayList<>();
        int next = 0;
        for (Pending p : batch) {
            boxes.add(p.image().join() == null ? List.of() : found.get(next++));
        }
        return boxes;
    }

    private static <T> T join(CompletableFuture<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    private void publish(FrameDetections result) {
        producer.send(new ProducerRecord<>(Topics.DETECTIONS.name(), result.getCameraId().getBytes(StandardCharsets.UTF_8),
                detections.serialize(Topics.DETECTIONS.name(), result)));
        count(result.getRedacted() ? "redacted" : result.getEmpty() ? "empty" : "detected");
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

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> list = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
        }
        return offsets;
    }

    /** After an aborted transaction: read the batch again from the last committed offsets. */
    private void rewind(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(records.partitions());
        for (TopicPartition partition : records.partitions()) {
            OffsetAndMetadata offset = committed.get(partition);
            consumer.seek(partition, offset == null ? records.records(partition).get(0).offset() : offset.offset());
        }
    }

    private static byte[] toBytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
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
        producer.close(Duration.ofSeconds(5));
        model.close();
        metrics.close();
    }

    public static void main(String[] args) throws Exception {
        TraplineConfig config = TraplineConfig.load(args.length > 0 ? Path.of(args[0]) : null, System.getenv());
        DetectorService service = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "detector-shutdown"));
        Thread.currentThread().join();
    }
}
