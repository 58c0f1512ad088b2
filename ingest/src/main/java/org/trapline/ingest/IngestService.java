package org.trapline.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.ingest.auth.ApiKeys;
import org.trapline.ingest.blob.BlobStore;
import org.trapline.ingest.blob.BlobStores;
import org.trapline.ingest.catalog.SiteCatalog;
import org.trapline.ingest.frames.FrameIngestor;
import org.trapline.ingest.http.IngestApi;
import org.trapline.schema.Frame;
import org.trapline.topics.TopicSetup;
import org.trapline.topics.Topics;

/**
 * The ingest service: accepts images from camera gateways and SD-card imports, decides which are
 * acceptable frames (known camera, a whole image, not sent before), keeps their bytes in the blob store
 * and publishes each as a {@link Frame} on {@code frames}, keyed by camera.
 *
 * <p>Configuration (file plus {@code TRAPLINE_*} environment): {@code ingest.http.host} (127.0.0.1),
 * {@code ingest.http.port} (8082; 0 picks a free one), {@code ingest.catalog.file}
 * ({@code <data.dir>/ingest/catalog.json}), {@code ingest.max.image.bytes} (50 MB), the blob store (see
 * {@link BlobStores}) and the API keys (see {@link ApiKeys}).
 */
public final class IngestService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);
    public static final String SERVICE = "ingest";

    private final Producer<String, Frame> producer;
    private final Javalin http;
    private final FrameIngestor ingestor;
    private final SiteCatalog catalog;
    private final PrometheusMeterRegistry metrics;

    private IngestService(Producer<String, Frame> producer, Javalin http, FrameIngestor ingestor, SiteCatalog catalog,
                          PrometheusMeterRegistry metrics) {
        this.producer = producer;
        this.http = http;
        this.ingestor = ingestor;
        this.catalog = catalog;
        this.metrics = metrics;
    }

    public static IngestService start(TraplineConfig config) throws IOException {
        new TopicSetup(config).run();
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);

        KafkaClientSettings clients = new KafkaClientSettings(config);
        Producer<String, Frame> producer = new KafkaProducer<>(clients.producer(SERVICE, null),
                Topics.FRAMES.keySerde().serializer(), Topics.FRAMES.valueSerde(config).serializer());
        new KafkaClientMetrics(producer).bindTo(metrics);

        BlobStore blobs = BlobStores.fromConfig(config);
        SiteCatalog catalog = SiteCatalog.load(catalogFile(config));
        long maxImageBytes = config.getLong("ingest.max.image.bytes", 50L * 1024 * 1024);
        FrameIngestor ingestor = new FrameIngestor(catalog, blobs, producer, Clock.systemUTC(), maxImageBytes,
                Duration.ofMillis(config.getLong("ingest.kafka.ack.timeout.ms", 30_000)), metrics);

        IngestApi api = new IngestApi(ingestor, catalog, ApiKeys.fromConfig(config), metrics,
                new IngestApi.Settings(maxImageBytes, () -> kafkaAnswers(producer), blobs::writable));
        Javalin http = api.create().start(config.get("ingest.http.host", "127.0.0.1"), config.getInt("ingest.http.port", 8082));
        log.info("ingest listening on port {}; cameras by site: {}", http.port(), catalog.camerasBySite());
        return new IngestService(producer, http, ingestor, catalog, metrics);
    }

    static Path catalogFile(TraplineConfig config) {
        return config.find("ingest.catalog.file").map(Path::of)
                .orElseGet(() -> config.dataDir().resolve("ingest").resolve("catalog.json"));
    }

    private static boolean kafkaAnswers(Producer<String, Frame> producer) {
        try {
            return !producer.partitionsFor(Topics.FRAMES.name()).isEmpty();
        } catch (RuntimeException e) {
            return false;
        }
    }

    public int port() {
        return http.port();
    }

    public FrameIngestor ingestor() {
        return ingestor;
    }

    public SiteCatalog catalog() {
        return catalog;
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    @Override
    public void close() {
        http.stop();
        producer.close(java.time.Duration.ofSeconds(10));
        metrics.close();
    }

    public static void main(String[] args) throws Exception {
        TraplineConfig config = TraplineConfig.load(args.length > 0 ? Path.of(args[0]) : null, System.getenv());
        IngestService service = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "ingest-shutdown"));
        Thread.currentThread().join();
    }
}
