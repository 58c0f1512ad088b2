package org.trapline.devtools.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.trapline.auth.ApiKeys;
import org.trapline.catalog.Camera;
import org.trapline.catalog.Site;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.devtools.local.LocalStack;
import org.trapline.devtools.pipeline.Pipeline;
import org.trapline.devtools.pipeline.ServiceKind;
import org.trapline.detector.DetectorSettings;
import org.trapline.detector.image.ImageDecoder;
import org.trapline.detector.model.DetectorModel;
import org.trapline.ingest.IngestComponents;
import org.trapline.schema.CountWindow;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.Sighting;
import org.trapline.schema.SiteCount;
import org.trapline.localstack.process.FreePorts;
import org.trapline.topics.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The whole pipeline's throughput and latency, frame to count, beside the detector's raw inference rate
 * in the same run: the four services as processes (as {@code trapline run} starts them) on the local
 * stack, frames uploaded through ingest's HTTP API as gateways send them.
 *
 * <p>Each frame has a camera and a site of its own, so that the site's count moves only for it: a frame's
 * latency to its count is then exact (from its upload to the first {@code site-counts} record, read
 * committed, that counts all its animals), without guessing which of many sightings a count includes.
 * A frame without animals (empty, or only a person) ends at its detections. Times are when this process
 * sees each record, read committed, as a subscriber of the topics would: all processes share one clock.
 *
 * <p>Phases: a warm-up (so that no service pays its JIT compilation in the measurement), raw inference,
 * a burst (all frames at once, from several clients: throughput, frames over the time from the first
 * upload to the last frame done), raw inference again, and a paced phase at a share of the burst's
 * throughput (open loop: each upload leaves at its scheduled time whatever the others do, and its latency
 * counts from then), whose latencies are the ones that matter: a pipeline at its limit only queues.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "Frames/s through the whole pipeline and frame-to-count latency, beside raw detector inference.")
public final class PipelineBenchmark implements Callable<Integer> {

    @Option(names = "--images", defaultValue = "../shared/images/camera-traps", description = "JPEG images (default: ${DEFAULT-VALUE}).")
    Path images;

    @Option(names = "--frames", defaultValue = "100", description = "Frames in the burst (default: ${DEFAULT-VALUE}).")
    int burstFrames;

    @Option(names = "--paced-frames", defaultValue = "100", description = "Frames in the paced phase (default: ${DEFAULT-VALUE}).")
    int pacedFrames;

    @Option(names = "--load", defaultValue = "0.5",
            description = "The paced phase's rate as a share of the burst's throughput (default: ${DEFAULT-VALUE}).")
    double load;

    @Option(names = "--clients", defaultValue = "8", description = "Concurrent uploads in the burst (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--warm-up", defaultValue = "2", description = "Passes over the images before measuring (default: ${DEFAULT-VALUE}).")
    int warmUpPasses;

    @Option(names = "--data-dir", defaultValue = ".trapline/bench-pipeline", description = "Scratch data (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--config", arity = "0..*", description = "Further settings for all services, KEY=VALUE.")
    List<String> extra = new ArrayList<>();

    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(15);
    private static final int RAW_PASSES = 4;

    /** A frame as uploaded: its site (its own), when it was due to leave and when ingest acknowledged it. */
    record Upload(String frameId, String siteId, long sentMillis, long ackedMillis) {
    }

    /** A phase's frames with what became of each. */
    record Phase(String name, List<Upload> uploads, Map<String, Timeline.Done> done, double offeredPerSecond) {

        double framesPerSecond() {
            long first = uploads.stream().mapToLong(Upload::sentMillis).min().orElseThrow();
            long last = done.values().stream().mapToLong(Timeline.Done::finishedMillis).max().orElseThrow();
            return uploads.size() * 1000.0 / Math.max(1, last - first);
        }
    }

    @Override
    public Integer call() throws Exception {
        List<byte[]> originals = IngestBenchmark.jpegs(images);
        IngestBenchmark.deleteRecursively(dataDir);
        String key = ApiKeys.newKey();
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(dataDir, FreePorts.next(), FreePorts.next(), FreePorts.next()))) {
            Map<String, String> values = new LinkedHashMap<>(stack.config().asMap());
            for (ServiceKind service : ServiceKind.values()) {
                values.put(service.portKey(), Integer.toString(FreePorts.next()));
            }
            values.put("ingest.operator.bench.key.sha256", ApiKeys.hash(key));
            for (String setting : extra) {
                String[] kv = setting.split("=", 2);
                values.put(kv[0], kv[1]);
            }
            Path configFile = dataDir.resolve("bench.properties");
            try (Writer writer = Files.newBufferedWriter(configFile)) {
                for (var entry : values.entrySet()) {
                    writer.write(entry.getKey() + "=" + entry.getValue() + "\n");
                }
            }
            TraplineConfig config = TraplineConfig.load(configFile, Map.of());
            int warmUpFrames = warmUpPasses * originals.size();
            register(config, List.of(Map.entry("warm", warmUpFrames), Map.entry("burst", burstFrames),
                    Map.entry("paced", pacedFrames)));

            DetectorModel.Settings modelSettings = DetectorSettings.fromConfig(config).model();
            ImageDecoder decoder = ImageDecoder.forNetwork(modelSettings.inputSize());
            List<Supplier<BufferedImage>> decoded = new ArrayList<>();
            for (byte[] jpeg : originals) {
                BufferedImage image = decoder.decode(jpeg).orElseThrow();
                decoded.add(() -> image);
            }
            System.out.printf("Starting the pipeline (logs in %s) ...%n", dataDir.resolve("logs").toAbsolutePath());
            ExecutorService pool = Executors.newFixedThreadPool(modelSettings.threads());
            try (Pipeline pipeline = Pipeline.start(configFile, dataDir, dataDir.resolve("logs"), EnumSet.allOf(ServiceKind.class));
                 Timeline timeline = Timeline.start(config);
                 DetectorModel model = DetectorModel.load(modelSettings)) {
                Uploader uploader = new Uploader(pipeline.url(ServiceKind.INGEST), key);
                RawInference raw = new RawInference(model, pool, modelSettings.threads(), 1);

                System.out.println("Warming up ...");
                List<Upload> warm = uploader.burst("warm", repeat(originals, warmUpPasses, 0), clients);
                timeline.await(warm, PHASE_TIMEOUT);
                raw.run(decoded, 2);

                System.out.println("Raw inference, burst ...");
                double rawBefore = RAW_PASSES * decoded.size() / raw.run(decoded, RAW_PASSES);
                List<Upload> burst = uploader.burst("burst", repeat(originals, copies(burstFrames, originals), 100)
                        .subList(0, burstFrames), clients);
                Phase burstPhase = new Phase("burst", burst, timeline.await(burst, PHASE_TIMEOUT), Double.NaN);

                System.out.println("Raw inference, paced ...");
                double rawAfter = RAW_PASSES * decoded.size() / raw.run(decoded, RAW_PASSES);
                double rate = load * burstPhase.framesPerSecond();
                List<Upload> paced = uploader.paced("paced", repeat(originals, copies(pacedFrames, originals), 200)
                        .subList(0, pacedFrames), rate);
                Phase pacedPhase = new Phase("paced", paced, timeline.await(paced, PHASE_TIMEOUT), rate);

                report(config, modelSettings, originals.size(), rawBefore, rawAfter, List.of(burstPhase, pacedPhase));
            } finally {
                pool.shutdownNow();
            }
        }
        return 0;
    }

    private static int copies(int frames, List<byte[]> originals) {
        return (frames + originals.size() - 1) / originals.size();
    }

    /** The images {@code times} over, each copy made distinct (ingest would refuse a duplicate). */
    private static List<byte[]> repeat(List<byte[]> originals, int times, int firstRound) {
        List<byte[]> all = new ArrayList<>();
        for (int copy = 0; copy < times; copy++) {
            all.addAll(IngestBenchmark.unique(originals, firstRound + copy));
        }
        return all;
    }

    /** A site and a camera for every frame of every phase, in the catalog before ingest starts (it reads it then). */
    private static void register(TraplineConfig config, List<Map.Entry<String, Integer>> phases) throws IOException {
        try (IngestComponents ingest = IngestComponents.create(config, "bench-pipeline")) {
            for (Map.Entry<String, Integer> phase : phases) {
                for (int i = 0; i < phase.getValue(); i++) {
                    String id = phase.getKey() + "-" + i;
                    ingest.catalog().putSite(new Site(id, id, null, null, null));
                    ingest.catalog().putCamera(new Camera(id, id, null, null, 0));
                }
            }
        }
    }

    /** Uploads through ingest's HTTP API, each frame to its own camera, as an operator. */
    private record Uploader(String ingestUrl, String key, HttpClient http) {

        Uploader(String ingestUrl, String key) {
            this(ingestUrl, key, HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build());
        }

        /** All at once from {@code clients} concurrent uploaders. */
        List<Upload> burst(String phase, List<byte[]> images, int clients) throws Exception {
            AtomicInteger next = new AtomicInteger();
            Upload[] uploads = new Upload[images.size()];
            List<Future<?>> workers = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int c = 0; c < clients; c++) {
                    workers.add(pool.submit(() -> {
                        for (int i = next.getAndIncrement(); i < images.size(); i = next.getAndIncrement()) {
                            uploads[i] = upload(phase + "-" + i, images.get(i), System.currentTimeMillis());
                        }
                        return null;
                    }));
                }
                for (Future<?> worker : workers) {
                    worker.get();
                }
            }
            return List.of(uploads);
        }

        /** One upload every 1/rate seconds, each at its time whether or not the ones before are answered. */
        List<Upload> paced(String phase, List<byte[]> images, double perSecond) throws Exception {
            List<Future<Upload>> pending = new ArrayList<>();
            long start = System.currentTimeMillis() + 200;
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < images.size(); i++) {
                    long due = start + Math.round(i * 1000 / perSecond);
                    long wait = due - System.currentTimeMillis();
                    if (wait > 0) {
                        Thread.sleep(wait);  // pacing the load, not waiting for a result
                    }
                    int index = i;
                    pending.add(pool.submit(() -> upload(phase + "-" + index, images.get(index), due)));
                }
                List<Upload> uploads = new ArrayList<>();
                for (Future<Upload> upload : pending) {
                    uploads.add(upload.get());
                }
                return uploads;
            }
        }

        private Upload upload(String camera, byte[] image, long sentMillis) throws IOException, InterruptedException {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(ingestUrl + "/api/frames?camera=" + camera))
                    .header("X-Api-Key", key).header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(image)).build(), HttpResponse.BodyHandlers.ofString());
            long acked = System.currentTimeMillis();
            if (response.statusCode() != 201) {
                throw new IllegalStateException("upload to " + camera + " answered " + response.statusCode() + ": " + response.body());
            }
            String frameId = new ObjectMapper().readTree(response.body()).get("frameId").asText();
            return new Upload(frameId, camera, sentMillis, acked);
        }
    }

    /**
     * What the pipeline's topics show, read committed, each record stamped with the time this process saw
     * it: detections by frame, sightings by frame, and the all-time sighting count by site.
     */
    static final class Timeline implements AutoCloseable {

        /** When a frame's detections, its sightings and its count were seen (0 where it has none). */
        record Done(long detectedMillis, int animals, long sightedMillis, long countedMillis) {
            long finishedMillis() {
                return animals == 0 ? detectedMillis : countedMillis;
            }
        }

        private record Detected(long millis, int animals) {
        }

        private final Map<String, Detected> detected = new ConcurrentHashMap<>();
        private final Map<String, Integer> sightingsByFrame = new ConcurrentHashMap<>();
        private final Map<String, Long> lastSightingMillis = new ConcurrentHashMap<>();
        /** Per site, the first time its all-time count reached each number of sightings. */
        private final Map<String, Map<Long, Long>> countReached = new ConcurrentHashMap<>();
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Map<String, Deserializer<?>> deserializers;
        private final Thread reader;
        private volatile boolean running = true;
        private volatile RuntimeException failure;

        private Timeline(TraplineConfig config) {
            Map<String, Object> props = new KafkaClientSettings(config).consumer("bench-pipeline-timeline-" + System.nanoTime(),
                    "bench-pipeline-timeline");
            this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            this.deserializers = Map.of(
                    Topics.DETECTIONS.name(), Topics.DETECTIONS.valueSerde(config).deserializer(),
                    Topics.SIGHTINGS.name(), Topics.SIGHTINGS.valueSerde(config).deserializer(),
                    Topics.SITE_COUNTS.name(), Topics.SITE_COUNTS.valueSerde(config).deserializer());
            consumer.subscribe(List.copyOf(deserializers.keySet()));
            this.reader = Thread.ofPlatform().name("bench-timeline").daemon().unstarted(this::read);
        }

        static Timeline start(TraplineConfig config) {
            Timeline timeline = new Timeline(config);
            timeline.reader.start();
            return timeline;
        }

        private void read() {
            try {
                while (running) {
                    var records = consumer.poll(Duration.ofMillis(200));
                    long now = System.currentTimeMillis();
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        Object value = deserializers.get(record.topic()).deserialize(record.topic(), record.value());
                        switch (value) {
                            case FrameDetections frame -> detected.putIfAbsent(frame.getFrameId(), new Detected(now, animals(frame)));
                            case Sighting sighting -> {
                                sightingsByFrame.merge(sighting.getDetection().getFrameId(), 1, Integer::sum);
                                lastSightingMillis.put(sighting.getDetection().getFrameId(), now);
                            }
                            case SiteCount count when count.getWindowKind() == CountWindow.ALL_TIME ->
                                    countReached.computeIfAbsent(count.getSiteId(), s -> new ConcurrentHashMap<>())
                                            .putIfAbsent(count.getSightings(), now);
                            default -> { }
                        }
                    }
                    if (!records.isEmpty()) {
                        synchronized (this) {
                            notifyAll();
                        }
                    }
                }
            } catch (RuntimeException e) {
                failure = e;
                synchronized (this) {
                    notifyAll();
                }
            } finally {
                consumer.close();
            }
        }

        /** The animals the identifier makes sightings of: those of a frame that is not empty. */
        private static int animals(FrameDetections frame) {
            return frame.getEmpty() ? 0 : (int) frame.getDetections().stream()
                    .filter(d -> d.getCategory() == DetectionCategory.ANIMAL).count();
        }

        /** What became of each frame, once every one is done; fails at the deadline. */
        synchronized Map<String, Done> await(List<Upload> uploads, Duration timeout) throws InterruptedException {
            long deadline = System.currentTimeMillis() + timeout.toMillis();
            while (true) {
                if (failure != null) {
                    throw new IllegalStateException("reading the topics failed", failure);
                }
                Map<String, Done> done = new HashMap<>();
                for (Upload upload : uploads) {
                    done(upload).ifPresent(d -> done.put(upload.frameId(), d));
                }
                if (done.size() == uploads.size()) {
                    return done;
                }
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new IllegalStateException((uploads.size() - done.size()) + " of " + uploads.size()
                            + " frames not through the pipeline within " + timeout);
                }
                wait(Math.min(left, 1000));
            }
        }

        private java.util.Optional<Done> done(Upload upload) {
            Detected detection = detected.get(upload.frameId());
            if (detection == null) {
                return java.util.Optional.empty();
            }
            if (detection.animals() == 0) {
                return java.util.Optional.of(new Done(detection.millis(), 0, 0, 0));
            }
            if (sightingsByFrame.getOrDefault(upload.frameId(), 0) < detection.animals()) {
                return java.util.Optional.empty();
            }
            long counted = countReached.getOrDefault(upload.siteId(), Map.of()).entrySet().stream()
                    .filter(e -> e.getKey() >= detection.animals()).mapToLong(Map.Entry::getValue).min().orElse(0);
            return counted == 0 ? java.util.Optional.empty() : java.util.Optional.of(
                    new Done(detection.millis(), detection.animals(), lastSightingMillis.get(upload.frameId()), counted));
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            reader.join(Duration.ofSeconds(10));
        }
    }

    private void report(TraplineConfig config, DetectorModel.Settings model, int images, double rawBefore, double rawAfter, List<Phase> phases) {
        double raw = (rawBefore + rawAfter) / 2;
        System.out.printf("%nPipeline benchmark: ingest, detector (%s, %d inference thread(s) of %d ONNX Runtime thread(s)), "
                        + "identifier, aggregator, each a process, on the local broker and registry; %d sample images made "
                        + "distinct; %d cores%n%n", model.name(), model.threads(), model.intraOpThreads(), images,
                Runtime.getRuntime().availableProcessors());
        System.out.printf("| path | frames | with animals | offered frames/s | frames/s | ratio to raw inference |%n"
                + "|---|---:|---:|---:|---:|---:|%n");
        System.out.printf("| raw detector inference, decoded images, in a loop (before / after the burst) | %d | | | %.1f (%.1f / %.1f) | 1.00 |%n",
                2 * RAW_PASSES * images, raw, rawBefore, rawAfter);
        for (Phase phase : phases) {
            long withAnimals = phase.done().values().stream().filter(d -> d.animals() > 0).count();
            boolean burst = Double.isNaN(phase.offeredPerSecond());
            // a paced phase runs at the rate it is offered: its frames/s say nothing of what the pipeline could do
            System.out.printf("| whole pipeline, %s | %d | %d | %s | %s | %s |%n", phase.name(), phase.uploads().size(), withAnimals,
                    burst ? "all at once" : String.format("%.2f (%.0f%% of the burst's)", phase.offeredPerSecond(), load * 100),
                    burst ? String.format("**%.2f**", phase.framesPerSecond()) : "",
                    burst ? String.format("**%.2f**", phase.framesPerSecond() / raw) : "");
        }
        System.out.printf("%n| phase | from the upload to | frames | p50 ms | p90 ms | p99 ms | max ms |%n|---|---|---:|---:|---:|---:|---:|%n");
        for (Phase phase : phases) {
            Map<String, Upload> byFrame = new HashMap<>();
            phase.uploads().forEach(u -> byFrame.put(u.frameId(), u));
            List<Map.Entry<Upload, Timeline.Done>> all = phase.done().entrySet().stream()
                    .map(e -> Map.entry(byFrame.get(e.getKey()), e.getValue())).toList();
            List<Map.Entry<Upload, Timeline.Done>> animals = all.stream().filter(e -> e.getValue().animals() > 0).toList();
            latencyRow(phase.name(), "ingest's acknowledgement", all, e -> e.getKey().ackedMillis());
            latencyRow(phase.name(), "detections on `detections`", all, e -> e.getValue().detectedMillis());
            latencyRow(phase.name(), "its sightings on `sightings`", animals, e -> e.getValue().sightedMillis());
            latencyRow(phase.name(), "**its count on `site-counts`**", animals, e -> e.getValue().countedMillis());
        }
        System.out.printf("%nLatencies run from the time each upload was due to leave (paced: open loop) to the time this process "
                + "read the record, committed, from the topic. The aggregator commits every %s ms (each hop between its stages "
                + "waits for a commit) and publishes changed counts every %s ms; the count's latency includes both.%n",
                config.get("aggregator.commit.interval.ms", "1000"), config.get("aggregator.publish.interval.ms", "1000"));
    }

    private static void latencyRow(String phase, String what, List<Map.Entry<Upload, Timeline.Done>> frames,
                                   ToLongFunction<Map.Entry<Upload, Timeline.Done>> at) {
        long[] sorted = frames.stream().mapToLong(e -> at.applyAsLong(e) - e.getKey().sentMillis()).sorted().toArray();
        if (sorted.length == 0) {
            return;
        }
        System.out.printf("| %s | %s | %d | %d | %d | %d | %d |%n", phase, what, sorted.length, percentile(sorted, 50),
                percentile(sorted, 90), percentile(sorted, 99), sorted[sorted.length - 1]);
    }

    /** Nearest rank. */
    private static long percentile(long[] sorted, int p) {
        return sorted[Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
