package org.trapline.devtools.bench;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.trapline.blob.BlobKeys;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.devtools.local.LocalStack;
import org.trapline.detector.DetectorService;
import org.trapline.detector.DetectorSettings;
import org.trapline.detector.image.ImageDecoder;
import org.trapline.detector.model.DetectorModel;
import org.trapline.ingest.IngestComponents;
import org.trapline.catalog.Camera;
import org.trapline.catalog.Site;
import org.trapline.ingest.frames.FrameIngestor;
import org.trapline.schema.BlobRef;
import org.trapline.schema.Frame;
import org.trapline.schema.FrameDetections;
import org.trapline.localstack.process.FreePorts;
import org.trapline.topics.TopicSetup;
import org.trapline.topics.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The detector service's throughput through Kafka beside raw inference, in one run: the same images,
 * the same model, the same number of inference threads.
 *
 * <p>Two raw baselines, both {@code DetectorModel.detect} in a plain loop: on the images already decoded in
 * memory (by the decoder the service uses, so that the network sees the very same pictures), and on the
 * JPEG bytes, decoded in the loop by that decoder. The service must decode every frame, so the second is
 * the like-for-like comparison; the first is the stricter one and is shown beside it. Service: frames on
 * the topic, read, their images fetched from the blob store and decoded, detected, decided (people
 * redacted), published and committed exactly once.
 *
 * <p>All three are warmed up first (the service through ingest, as frames come), so that none pays for
 * its JIT compilation in the measured rounds. They are then measured in alternating rounds, each on the
 * same number of frames, because the machines this runs on are shared: a build started by someone else
 * halfway through would otherwise slow only one side. Each round's frames (made distinct, their blobs
 * already stored) are published in one transaction while the service is idle, so that they reach it at
 * once; its round time runs from the processing time of the round's first frame to that of its last, its
 * steady state (its commits within the round included). The results are the medians of the rounds'
 * ratios, each a pair measured side by side, and the ratios of the totals; with the CPU time each side
 * used per frame, which is what throughput follows when the machine is busy with other work.
 */
@Command(name = "detector", mixinStandardHelpOptions = true,
        description = "The detector service's frames/s through Kafka beside raw DJL inference on the same images.")
public final class DetectorBenchmark implements Callable<Integer> {

    @Option(names = "--images", defaultValue = "../shared/images/camera-traps", description = "JPEG images (default: ${DEFAULT-VALUE}).")
    Path images;

    @Option(names = "--rounds", defaultValue = "4", description = "Measured rounds: raw, raw with decoding, service (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--copies", defaultValue = "4",
            description = "Copies of each image in a round, made distinct (default: ${DEFAULT-VALUE}).")
    int copies;

    @Option(names = "--threads", defaultValue = "1", description = "Inference threads, for all three (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--intra-op-threads", description = "Threads ONNX Runtime uses inside one inference, for all three "
            + "(default: cores / inference threads).")
    Integer intraOpThreads;

    @Option(names = "--spinning", description = "Let ONNX Runtime's threads spin while idle, for all three (default: they sleep).")
    boolean spinning;

    @Option(names = "--batch-size", defaultValue = "1",
            description = "Frames per inference call, for all three (more only for a dynamic-batch model; default: ${DEFAULT-VALUE}).")
    int batchSize;

    /** Passes over the images before measuring: enough for the JIT to have compiled each side's hot code. */
    private static final int WARM_UP_PASSES = 4;

    @Option(names = "--data-dir", defaultValue = ".trapline/bench-detector", description = "Scratch data (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--thread-cpu", description = "Also print CPU per frame by thread and process (Linux: /proc).")
    boolean threadCpu;

    @Option(names = "--config", arity = "0..*", description = "Further detector settings, KEY=VALUE, for all three "
            + "(e.g. detector.model.path=…, detector.max.poll.records=64).")
    List<String> extra = new ArrayList<>();

    /**
     * CPU time used so far: by this JVM (raw inference, or the detector service and the benchmark's
     * reader) and by its child processes (the local stack's broker and schema registry).
     */
    private record Cpu(long jvmNanos, long childNanos) {

        static Cpu now() {
            long jvm = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime();
            long children = ProcessHandle.current().descendants()
                    .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
            return new Cpu(jvm, children);
        }

        Cpu minus(Cpu before) {
            return new Cpu(jvmNanos - before.jvmNanos, childNanos - before.childNanos);
        }
    }

    /** What one side did in one round: frames, the time they took, and the CPU used meanwhile. */
    private record Phase(int frames, double seconds, Cpu cpu, Map<String, Long> threads, Map<String, Long> children) {

        double framesPerSecond() {
            return frames / seconds;
        }
    }

    /** The three sides of a round, side by side in time, on the same number of frames. */
    private record Round(Phase raw, Phase rawDecoding, Phase service) {
    }

    /** Measures one side: CPU and threads before and after {@code work}, which returns its own time in seconds. */
    private static Phase measure(int frames, Callable<Double> work) throws Exception {
        Map<String, Long> threads = ThreadCpu.now();
        Map<String, Long> children = ThreadCpu.children();
        Cpu start = Cpu.now();
        double seconds = work.call();
        Cpu cpu = Cpu.now().minus(start);
        return new Phase(frames, seconds, cpu, ThreadCpu.minus(ThreadCpu.now(), threads),
                ThreadCpu.minus(ThreadCpu.children(), children));
    }

    @Override
    public Integer call() throws Exception {
        List<byte[]> originals = IngestBenchmark.jpegs(images);
        IngestBenchmark.deleteRecursively(dataDir);
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(dataDir, FreePorts.next(), FreePorts.next(), FreePorts.next()))) {
            Map<String, String> settings = new HashMap<>(Map.of(
                    "ingest.catalog.file", dataDir.resolve("catalog.json").toString(),
                    "detector.http.port", "0",
                    "detector.inference.threads", String.valueOf(threads),
                    "detector.intra.op.spinning", String.valueOf(spinning),
                    "detector.batch.size", String.valueOf(batchSize),
                    // the network's throughput against raw inference; the species stage has its own benchmark
                    // (bench species), and --config species.enabled=true measures the service with it
                    "species.enabled", "false"));
            if (intraOpThreads != null) {
                settings.put("detector.intra.op.threads", String.valueOf(intraOpThreads));
            }
            for (String setting : extra) {
                String[] kv = setting.split("=", 2);
                settings.put(kv[0], kv[1]);
            }
            TraplineConfig config = stack.config().with(settings);
            new TopicSetup(config).run();
            DetectorModel.Settings model = DetectorSettings.fromConfig(config).model();
            String camera = "bench-" + UUID.randomUUID().toString().substring(0, 8);

            // the warm-up goes in through ingest, as frames do; its frames are the measured frames' templates
            List<Frame> warmUp = new ArrayList<>();
            try (IngestComponents ingest = IngestComponents.create(config, "bench-detector")) {
                ingest.catalog().putSite(new Site("bench", "Benchmark", null, null, null));
                ingest.catalog().putCamera(new Camera(camera, "bench", null, null, 0));
                for (int copy = 0; copy < WARM_UP_PASSES; copy++) {
                    for (byte[] image : IngestBenchmark.unique(originals, 1000 + copy)) {
                        warmUp.add(ingest.frames().ingest(FrameIngestor.Upload.image(camera, null, image, null,
                                Optional.of(Instant.now()))).frame());
                    }
                }
                List<List<Frame>> measured = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    measured.add(store(ingest, warmUp, originals, round));
                }

                ImageDecoder decoder = ImageDecoder.forNetwork(model.inputSize());
                List<Supplier<BufferedImage>> inMemory = new ArrayList<>();
                List<Supplier<BufferedImage>> fromBytes = new ArrayList<>();
                for (byte[] jpeg : originals) {
                    BufferedImage image = decoder.decode(jpeg).orElseThrow();
                    inMemory.add(() -> image);
                    fromBytes.add(() -> decoder.decode(jpeg).orElseThrow());
                }
                List<Round> results = new ArrayList<>();
                try (DetectorModel raw = DetectorModel.load(model);
                     DetectorService detector = DetectorService.start(config);
                     Detections detections = new Detections(config, camera);
                     KafkaProducer<byte[], byte[]> publisher = new KafkaProducer<>(new KafkaClientSettings(config)
                             .producer("bench-detector-publisher", "bench-detector-publisher-" + camera),
                             new ByteArraySerializer(), new ByteArraySerializer())) {
                    ExecutorService pool = Executors.newFixedThreadPool(threads);
                    RawInference inference = new RawInference(raw, pool, threads, batchSize);
                    try {
                        publisher.initTransactions();
                        detections.await(warmUp);
                        inference.run(fromBytes, WARM_UP_PASSES);
                        for (List<Frame> round : measured) {
                            int frames = round.size();
                            Phase rawPhase = measure(frames, () -> inference.run(inMemory, copies));
                            Phase decodingPhase = measure(frames, () -> inference.run(fromBytes, copies));
                            Phase servicePhase = measure(frames, () -> {
                                publish(config, publisher, round);
                                Map<String, Instant> processed = detections.await(round);
                                Instant first = processed.values().stream().min(Instant::compareTo).orElseThrow();
                                Instant last = processed.values().stream().max(Instant::compareTo).orElseThrow();
                                // frames − 1 intervals from the first frame's processing to the last's, per frame
                                return Duration.between(first, last).toNanos() / 1e9 * frames / (frames - 1);
                            });
                            results.add(new Round(rawPhase, decodingPhase, servicePhase));
                        }
                    } finally {
                        pool.shutdownNow();
                    }
                }
                report(model, originals.size(), results);
            }
        }
        return 0;
    }

    /** A round's frames: the templates' frames with distinct bytes, stored as blobs the way ingest stores them. */
    private List<Frame> store(IngestComponents ingest, List<Frame> templates, List<byte[]> originals, int round) throws Exception {
        List<Frame> frames = new ArrayList<>();
        for (int copy = 0; copy < copies; copy++) {
            List<byte[]> images = IngestBenchmark.unique(originals, round * copies + copy);
            for (int i = 0; i < images.size(); i++) {
                byte[] bytes = images.get(i);
                String sha256 = BlobKeys.sha256(bytes);
                ingest.blobs().put(BlobKeys.content(sha256), bytes);
                Frame template = templates.get(i);
                frames.add(Frame.newBuilder(template)
                        .setFrameId(FrameIngestor.frameId(template.getCameraId(), sha256))
                        .setContentSha256(sha256)
                        .setBlob(new BlobRef(ingest.blobs().name(), BlobKeys.content(sha256), (long) bytes.length))
                        .build());
            }
        }
        return frames;
    }

    /** The round's frames in one transaction: the service sees them all at once. */
    private static void publish(TraplineConfig config, KafkaProducer<byte[], byte[]> producer, List<Frame> frames) {
        var serializer = Topics.FRAMES.valueSerde(config).serializer();
        producer.beginTransaction();
        for (Frame frame : frames) {
            producer.send(new ProducerRecord<>(Topics.FRAMES.name(), frame.getCameraId().getBytes(StandardCharsets.UTF_8),
                    serializer.serialize(Topics.FRAMES.name(), frame)));
        }
        producer.commitTransaction();
    }

    private void report(DetectorModel.Settings model, int images, List<Round> rounds) {
        System.out.printf("%nDetector benchmark: %s, %d rounds of %d frames (%d sample images x %d), %d inference thread(s) "
                        + "of %d ONNX Runtime thread(s)%s, %d frame(s) per call, %d cores%n%n", model.name(), rounds.size(),
                images * copies, images, copies, threads, model.intraOpThreads(), model.spinning() ? " (spinning)" : "",
                batchSize, Runtime.getRuntime().availableProcessors());
        System.out.printf("| round | raw inference, decoded images: frames/s | raw decoding + inference: frames/s "
                + "| service: frames/s | service / raw decoding + inference | service / raw inference |%n"
                + "|---:|---:|---:|---:|---:|---:|%n");
        for (int i = 0; i < rounds.size(); i++) {
            Round r = rounds.get(i);
            System.out.printf("| %d | %.1f | %.1f | %.1f | %.2f | %.2f |%n", i + 1, r.raw().framesPerSecond(),
                    r.rawDecoding().framesPerSecond(), r.service().framesPerSecond(),
                    r.service().framesPerSecond() / r.rawDecoding().framesPerSecond(),
                    r.service().framesPerSecond() / r.raw().framesPerSecond());
        }
        System.out.printf("%n| path | frames/s, all rounds | CPU per frame: this JVM | CPU per frame: broker and registry |%n"
                + "|---|---:|---:|---:|%n");
        row("raw DJL inference on decoded images", rounds, Round::raw);
        row("raw decoding + DJL inference, in a loop", rounds, Round::rawDecoding);
        row("detector service through Kafka (blob, decode, detect, decide, publish, commit)", rounds, Round::service);
        System.out.printf("%nservice / raw decoding + inference: median of rounds %s, all rounds %.2f%n",
                medianAndRange(rounds, r -> r.service().framesPerSecond() / r.rawDecoding().framesPerSecond()),
                total(rounds, Round::service) / total(rounds, Round::rawDecoding));
        System.out.printf("service / raw inference on decoded images: median of rounds %s, all rounds %.2f%n",
                medianAndRange(rounds, r -> r.service().framesPerSecond() / r.raw().framesPerSecond()),
                total(rounds, Round::service) / total(rounds, Round::raw));
        if (threadCpu) {
            List<Map.Entry<String, Function<Round, Phase>>> sides = List.of(Map.entry("raw inference", Round::raw),
                    Map.entry("raw decoding + inference", Round::rawDecoding), Map.entry("service", Round::service));
            for (Map.Entry<String, Function<Round, Phase>> side : sides) {
                Map<String, Long> threadTicks = new HashMap<>();
                Map<String, Long> childTicks = new HashMap<>();
                for (Round r : rounds) {
                    ThreadCpu.add(threadTicks, side.getValue().apply(r).threads());
                    ThreadCpu.add(childTicks, side.getValue().apply(r).children());
                }
                int frames = rounds.stream().mapToInt(r -> side.getValue().apply(r).frames()).sum();
                ThreadCpu.print(side.getKey() + ", this JVM's threads", threadTicks, frames);
                ThreadCpu.print(side.getKey() + ", the local stack's processes", childTicks, frames);
            }
        }
    }

    private static void row(String name, List<Round> rounds, Function<Round, Phase> side) {
        int frames = rounds.stream().mapToInt(r -> side.apply(r).frames()).sum();
        double jvm = rounds.stream().mapToLong(r -> side.apply(r).cpu().jvmNanos()).sum() / 1e6 / frames;
        double children = rounds.stream().mapToLong(r -> side.apply(r).cpu().childNanos()).sum() / 1e6 / frames;
        System.out.printf("| %s | %.1f | %.1f ms | %.1f ms |%n", name, total(rounds, side), jvm, children);
    }

    /** Frames per second over all rounds. */
    private static double total(List<Round> rounds, Function<Round, Phase> side) {
        return rounds.stream().mapToInt(r -> side.apply(r).frames()).sum()
                / rounds.stream().mapToDouble(r -> side.apply(r).seconds()).sum();
    }

    private static String medianAndRange(List<Round> rounds, ToDoubleFunction<Round> ratio) {
        List<Double> sorted = rounds.stream().mapToDouble(ratio).sorted().boxed().toList();
        double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        return String.format("%.2f (%.2f to %.2f)", median, sorted.get(0), sorted.get(sorted.size() - 1));
    }

    /**
     * CPU time by thread name (numbers in pool names dropped) from Linux's per-thread accounting, which
     * also sees ONNX Runtime's native threads (named after the process, "java").
     */
    private static final class ThreadCpu {

        static Map<String, Long> now() {
            Map<String, Long> byThread = new HashMap<>();
            java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
            if (tasks == null) {
                return byThread;
            }
            for (java.io.File task : tasks) {
                try {
                    String stat = java.nio.file.Files.readString(task.toPath().resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    byThread.put(task.getName() + " " + name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
                } catch (java.io.IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
            return byThread;
        }

        /** The local stack's processes (children of this JVM), in clock ticks, named by what they run. */
        static Map<String, Long> children() {
            Map<String, Long> byChild = new HashMap<>();
            ProcessHandle.current().descendants().forEach(p -> {
                String command = String.join(" ", p.info().arguments().map(List::of).orElse(List.of()));
                String name = command.contains("quarkus") ? "schema registry" : "Kafka broker";
                p.info().totalCpuDuration().ifPresent(cpu -> byChild.put(p.pid() + " " + name, cpu.toMillis() / 10));
            });
            return byChild;
        }

        static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
            Map<String, Long> delta = new HashMap<>();
            after.forEach((thread, ticks) -> delta.put(thread, ticks - before.getOrDefault(thread, 0L)));
            return delta;
        }

        static void add(Map<String, Long> total, Map<String, Long> delta) {
            delta.forEach((thread, ticks) -> total.merge(thread.substring(thread.indexOf(' ') + 1).replaceAll("[0-9]+", "#"),
                    ticks, Long::sum));
        }

        static void print(String phase, Map<String, Long> byName, int frames) {
            System.out.printf("%nCPU per frame, %s (clock ticks of 10 ms):%n", phase);
            byName.entrySet().stream().filter(e -> e.getValue() > 0).sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(12).forEach(e -> System.out.printf("  %-24s %6.1f ms%n", e.getKey(), e.getValue() * 10.0 / frames));
        }
    }

    /** The camera's detections as they come, read once from the start and kept. */
    private static final class Detections implements AutoCloseable {

        private final KafkaConsumer<String, FrameDetections> consumer;
        private final String camera;
        private final Map<String, Instant> processed = new HashMap<>();

        Detections(TraplineConfig config, String camera) {
            Map<String, Object> props = new KafkaClientSettings(config).consumer("bench-detector-" + camera, "bench-detector");
            // the times are in the records: reading them late costs nothing, reading each as it comes costs
            // the broker and this JVM a fetch a frame, which would count against the service
            props.put("fetch.min.bytes", 1 << 20);
            props.put("fetch.max.wait.ms", 1000);
            this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), Topics.DETECTIONS.valueSerde(config).deserializer());
            this.camera = camera;
            consumer.subscribe(List.of(Topics.DETECTIONS.name()));
        }

        /** When each of these frames was processed, once all are. */
        Map<String, Instant> await(List<Frame> frames) {
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (!frames.stream().allMatch(f -> processed.containsKey(f.getFrameId()))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not all of " + frames.size() + " frames detected within 10 minutes");
                }
                for (ConsumerRecord<String, FrameDetections> r : consumer.poll(Duration.ofSeconds(1))) {
                    if (camera.equals(r.key())) {
                        processed.put(r.value().getFrameId(), r.value().getProcessedTime());
                    }
                }
            }
            Map<String, Instant> times = new HashMap<>();
            frames.forEach(f -> times.put(f.getFrameId(), processed.get(f.getFrameId())));
            return times;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
