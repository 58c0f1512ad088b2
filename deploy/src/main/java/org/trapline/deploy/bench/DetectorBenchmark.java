package org.trapline.deploy.bench;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
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
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import javax.imageio.ImageIO;

import org.apache.kafka.common.serialization.StringDeserializer;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.deploy.local.LocalStack;
import org.trapline.detector.DetectorService;
import org.trapline.detector.DetectorSettings;
import org.trapline.detector.model.DetectorModel;
import org.trapline.ingest.IngestComponents;
import org.trapline.catalog.Camera;
import org.trapline.catalog.Site;
import org.trapline.ingest.frames.FrameIngestor;
import org.trapline.testsupport.kafka.TopicReader;
import org.trapline.testsupport.process.FreePorts;
import org.trapline.topics.TopicSetup;
import org.trapline.topics.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The detector service's throughput through Kafka beside raw inference, in one run: the same images,
 * the same model, the same number of inference threads. Raw: {@code DetectorModel.detect} on images
 * already decoded in memory. Service: frames already on the topic, read, their images fetched from the
 * blob store and decoded, detected, published and committed exactly once; measured at steady state, from
 * the processing time of the last warm-up frame to that of the last frame. The ratio is the result.
 */
@Command(name = "detector", mixinStandardHelpOptions = true,
        description = "The detector service's frames/s through Kafka beside raw DJL inference on the same images.")
public final class DetectorBenchmark implements Callable<Integer> {

    @Option(names = "--images", defaultValue = "../shared/images/camera-traps", description = "JPEG images (default: ${DEFAULT-VALUE}).")
    Path images;

    @Option(names = "--rounds", defaultValue = "4", description = "Times each image is sent, made unique each time (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--threads", defaultValue = "1", description = "Inference threads, for both (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--intra-op-threads", description = "Threads ONNX Runtime uses inside one inference, for both "
            + "(default: cores / inference threads).")
    Integer intraOpThreads;

    @Option(names = "--data-dir", defaultValue = ".trapline/bench-detector", description = "Scratch data (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        List<byte[]> originals = IngestBenchmark.jpegs(images);
        IngestBenchmark.deleteRecursively(dataDir);
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(dataDir, FreePorts.next(), FreePorts.next(), FreePorts.next()))) {
            TraplineConfig config = stack.config().with(Map.of(
                    "ingest.catalog.file", dataDir.resolve("catalog.json").toString(),
                    "detector.http.port", "0",
                    "detector.inference.threads", String.valueOf(threads)));
            if (intraOpThreads != null) {
                config = config.with("detector.intra.op.threads", String.valueOf(intraOpThreads));
            }
            new TopicSetup(config).run();
            String camera = "bench-" + UUID.randomUUID().toString().substring(0, 8);
            List<String> warmUp = new ArrayList<>();
            List<String> measured = new ArrayList<>();
            try (IngestComponents ingest = IngestComponents.create(config, "bench-detector")) {
                ingest.catalog().putSite(new Site("bench", "Benchmark", null, null, null));
                ingest.catalog().putCamera(new Camera(camera, "bench", null, null, 0));
                for (int round = 0; round <= rounds; round++) {
                    for (byte[] image : IngestBenchmark.unique(originals, 1000 + round)) {
                        String id = ingest.frames().ingest(FrameIngestor.Upload.image(camera, null, image, null,
                                Optional.of(Instant.now()))).frame().getFrameId();
                        (round == 0 ? warmUp : measured).add(id);
                    }
                }
            }

            double rawFramesPerSecond = raw(config, originals);

            Map<String, Instant> processed;
            try (DetectorService detector = DetectorService.start(config)) {
                processed = processedTimes(config, camera, warmUp.size() + measured.size());
            }
            Instant start = warmUp.stream().map(processed::get).max(Instant::compareTo).orElseThrow();
            Instant end = measured.stream().map(processed::get).max(Instant::compareTo).orElseThrow();
            double serviceSeconds = Duration.between(start, end).toNanos() / 1e9;
            double serviceFramesPerSecond = measured.size() / serviceSeconds;

            DetectorModel.Settings model = DetectorSettings.fromConfig(config).model();
            System.out.printf("%nDetector benchmark: %s, %d sample images x %d rounds, %d inference thread(s) of %d ONNX Runtime "
                            + "thread(s), %d cores%n%n", model.name(), originals.size(), rounds, threads, model.intraOpThreads(),
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("| path | frames | seconds | frames/s | ratio to raw |%n|---|---:|---:|---:|---:|%n");
            System.out.printf("| detector service through Kafka (blob, decode, detect, publish, commit) | %d | %.2f | %.1f | %.2f |%n",
                    measured.size(), serviceSeconds, serviceFramesPerSecond, serviceFramesPerSecond / rawFramesPerSecond);
            System.out.printf("| raw DJL inference on decoded images | %d | %.2f | %.1f | 1.00 |%n",
                    measured.size(), measured.size() / rawFramesPerSecond, rawFramesPerSecond);
        }
        return 0;
    }

    /** Raw inference: the decoded images through the same model with the same threads, after a warm-up pass. */
    private double raw(TraplineConfig config, List<byte[]> originals) throws Exception {
        List<BufferedImage> decoded = new ArrayList<>();
        for (byte[] jpeg : originals) {
            decoded.add(ImageIO.read(new ByteArrayInputStream(jpeg)));
        }
        try (DetectorModel model = DetectorModel.load(DetectorSettings.fromConfig(config).model())) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                runAll(model, pool, decoded, 1);
                long begin = System.nanoTime();
                runAll(model, pool, decoded, rounds);
                return decoded.size() * rounds / ((System.nanoTime() - begin) / 1e9);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private void runAll(DetectorModel model, ExecutorService pool, List<BufferedImage> images, int times) throws Exception {
        AtomicInteger next = new AtomicInteger();
        int total = images.size() * times;
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    model.detect(List.of(images.get(i % images.size())));
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
    }

    /** When each of the camera's frames was processed, read until {@code expected} distinct frames came. */
    private static Map<String, Instant> processedTimes(TraplineConfig config, String camera, int expected) {
        Map<String, Instant> processed = new HashMap<>();
        TopicReader.readUntil(new KafkaClientSettings(config).consumer("bench-detector", "bench-detector"),
                        Topics.DETECTIONS.name(), new StringDeserializer(), Topics.DETECTIONS.valueSerde(config).deserializer(),
                        r -> camera.equals(r.key()),
                        read -> read.stream().map(r -> r.value().getFrameId()).distinct().count() >= expected,
                        Duration.ofMinutes(10))
                .forEach(r -> processed.put(r.value().getFrameId(), r.value().getProcessedTime()));
        if (processed.size() < expected) {
            throw new IllegalStateException("only " + processed.size() + " of " + expected + " frames detected within 10 minutes");
        }
        return processed;
    }
}
