package org.trapline.devtools.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.devtools.local.LocalStack;
import org.trapline.ingest.IngestService;
import org.trapline.auth.ApiKeys;
import org.trapline.catalog.Camera;
import org.trapline.catalog.Site;
import org.trapline.localstack.process.FreePorts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Ingest's throughput beside Kafka's own, in one run on one machine: the sample images uploaded through
 * the HTTP API (checked, hashed, stored durably, published and acknowledged one by one), and the same
 * bytes sent as plain records by an idempotent {@code acks=all} producer. The ratio is the result: what
 * the claim check, the checks and the per-upload acknowledgement cost against the producer's ceiling.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Upload the sample images in a loop through the ingest API and compare with the Kafka producer.")
public final class IngestBenchmark implements Callable<Integer> {

    @Option(names = "--images", defaultValue = "../shared/images/camera-traps",
            description = "Folder of JPEG images to upload (default: ${DEFAULT-VALUE}).")
    Path images;

    @Option(names = "--rounds", defaultValue = "8", description = "Times each image is sent, made unique each time (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--clients", defaultValue = "8", description = "Concurrent uploads (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--repeats", defaultValue = "3", description = "Measurements of each path; the median is shown (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--data-dir", defaultValue = ".trapline/bench", description = "Scratch data (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    /** One measurement. */
    record Run(int events, long bytes, double seconds) {
        double eventsPerSecond() {
            return events / seconds;
        }

        double megabytesPerSecond() {
            return bytes / 1_048_576.0 / seconds;
        }
    }

    @Override
    public Integer call() throws Exception {
        List<byte[]> originals = jpegs(images);
        deleteRecursively(dataDir);
        String key = ApiKeys.newKey();
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(dataDir, FreePorts.next(), FreePorts.next(), FreePorts.next()))) {
            TraplineConfig config = stack.config().with(Map.of(
                    "ingest.http.port", "0",
                    "ingest.catalog.file", dataDir.resolve("catalog.json").toString(),
                    "ingest.operator.bench.key.sha256", ApiKeys.hash(key)));
            try (IngestService ingest = IngestService.start(config)) {
                ingest.parts().catalog().putSite(new Site("bench", "Benchmark", null, null, null));
                ingest.parts().catalog().putCamera(new Camera("bench-cam", "bench", null, null, 0));
                createBaselineTopic(config);

                int round = 0;
                measureIngest(ingest.port(), key, unique(originals, round++));  // warm-up: JIT, connections, metadata
                measureProducer(config, unique(originals, round++));
                List<Run> ingestRuns = new ArrayList<>();
                List<Run> producerRuns = new ArrayList<>();
                for (int i = 0; i < repeats; i++) {
                    List<byte[]> batch = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) {
                        batch.addAll(unique(originals, round++));
                    }
                    ingestRuns.add(measureIngest(ingest.port(), key, batch));
                    producerRuns.add(measureProducer(config, batch));
                }
                print(median(ingestRuns), median(producerRuns), originals.size());
            }
        }
        return 0;
    }

    /** The JPEG images of a folder, in name order. */
    static List<byte[]> jpegs(Path folder) throws IOException {
        List<byte[]> images = new ArrayList<>();
        try (var files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().toLowerCase().matches(".*\\.jpe?g")).sorted().toList()) {
                images.add(Files.readAllBytes(file));
            }
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no JPEG images in " + folder);
        }
        return images;
    }

    /** Each image with a JPEG comment segment naming the round: a valid, distinct file, so no upload is a duplicate. */
    static List<byte[]> unique(List<byte[]> originals, int round) {
        List<byte[]> copies = new ArrayList<>();
        for (int i = 0; i < originals.size(); i++) {
            byte[] jpeg = originals.get(i);
            byte[] text = ("trapline-bench round " + round + " image " + i).getBytes(StandardCharsets.US_ASCII);
            byte[] copy = new byte[jpeg.length + 4 + text.length];
            copy[0] = jpeg[0];
            copy[1] = jpeg[1];  // SOI
            copy[2] = (byte) 0xff;
            copy[3] = (byte) 0xfe;  // COM
            copy[4] = (byte) ((text.length + 2) >> 8);
            copy[5] = (byte) (text.length + 2);
            System.arraycopy(text, 0, copy, 6, text.length);
            System.arraycopy(jpeg, 2, copy, 6 + text.length, jpeg.length - 2);
            copies.add(copy);
        }
        return copies;
    }

    private Run measureIngest(int port, String key, List<byte[]> batch) throws Exception {
        HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        long bytes = batch.stream().mapToLong(b -> b.length).sum();
        CountDownLatch done = new CountDownLatch(clients);
        long start = System.nanoTime();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                pool.submit(() -> {
                    try {
                        for (int i = next.getAndIncrement(); i < batch.size(); i = next.getAndIncrement()) {
                            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + port + "/api/frames?camera=bench-cam"))
                                    .header("X-Api-Key", key).POST(HttpRequest.BodyPublishers.ofByteArray(batch.get(i))).build(),
                                    HttpResponse.BodyHandlers.discarding());
                            if (response.statusCode() != 201) {
                                failures.incrementAndGet();
                            }
                        }
                    } catch (IOException | InterruptedException e) {
                        failures.incrementAndGet();
                    } finally {
                        done.countDown();
                    }
                    return null;
                });
            }
            done.await();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " uploads were not created: the benchmark is void");
        }
        return new Run(batch.size(), bytes, seconds);
    }

    private static final String BASELINE_TOPIC = "bench-raw-images";

    private static void createBaselineTopic(TraplineConfig config) throws Exception {
        try (Admin admin = Admin.create(new KafkaClientSettings(config).admin())) {
            if (!admin.listTopics().names().get().contains(BASELINE_TOPIC)) {
                admin.createTopics(List.of(new NewTopic(BASELINE_TOPIC, 6, (short) 1))).all().get();
            }
        }
    }

    /** The same bytes as plain records, as fast as the producer takes them, all acknowledged at the end. */
    private static Run measureProducer(TraplineConfig config, List<byte[]> batch) throws Exception {
        long bytes = batch.stream().mapToLong(b -> b.length).sum();
        var settings = new KafkaClientSettings(config).producer("bench-baseline", null);
        try (var producer = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer())) {
            producer.partitionsFor(BASELINE_TOPIC);  // metadata outside the measurement
            long start = System.nanoTime();
            List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
            for (byte[] image : batch) {
                acks.add(producer.send(new ProducerRecord<>(BASELINE_TOPIC, "bench-cam", image)));
            }
            producer.flush();
            for (var ack : acks) {
                ack.get();
            }
            return new Run(batch.size(), bytes, (System.nanoTime() - start) / 1e9);
        }
    }

    private static Run median(List<Run> runs) {
        List<Run> sorted = new ArrayList<>(runs);
        sorted.sort((a, b) -> Double.compare(a.seconds(), b.seconds()));
        return sorted.get(sorted.size() / 2);
    }

    private void print(Run ingest, Run producer, int distinctImages) {
        System.out.printf("%nIngest benchmark: %d sample images x %d rounds, %d concurrent uploads, median of %d runs, %d cores%n%n",
                distinctImages, rounds, clients, repeats, Runtime.getRuntime().availableProcessors());
        System.out.printf("| path | events | MB | seconds | events/s | MB/s | ratio to producer |%n");
        System.out.printf("|---|---:|---:|---:|---:|---:|---:|%n");
        row("ingest HTTP API (check, hash, fsync'd blob, Frame acked)", ingest, producer);
        row("Kafka producer, same bytes as records (acks=all, async)", producer, producer);
    }

    private static void row(String name, Run run, Run baseline) {
        System.out.printf("| %s | %d | %.1f | %.2f | %.0f | %.1f | %.2f |%n", name, run.events(), run.bytes() / 1_048_576.0,
                run.seconds(), run.eventsPerSecond(), run.megabytesPerSecond(), run.eventsPerSecond() / baseline.eventsPerSecond());
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
