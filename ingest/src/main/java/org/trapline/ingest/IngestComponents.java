package org.trapline.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.blob.BlobStore;
import org.trapline.blob.BlobStores;
import org.trapline.catalog.SiteCatalog;
import org.trapline.ingest.frames.FrameIngestor;
import org.trapline.ingest.video.ClipIngestor;
import org.trapline.schema.Frame;
import org.trapline.topics.Topics;

/**
 * The parts of ingest that the HTTP service and the SD-card import share, built from one configuration,
 * so that an imported image takes exactly the path of an uploaded one.
 *
 * <p>Settings: {@code ingest.catalog.file} ({@code <data.dir>/ingest/catalog.json}),
 * {@code ingest.max.image.bytes} (50 MB), {@code ingest.max.clip.bytes} (500 MB),
 * {@code ingest.kafka.ack.timeout.ms} (30 s), and the blob store's ({@link BlobStores}).
 */
public record IngestComponents(Producer<String, Frame> producer, BlobStore blobs, SiteCatalog catalog,
                               FrameIngestor frames, ClipIngestor clips, PrometheusMeterRegistry metrics,
                               long maxImageBytes, long maxClipBytes) implements AutoCloseable {

    public static IngestComponents create(TraplineConfig config, String clientId) throws IOException {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Producer<String, Frame> producer = new KafkaProducer<>(new KafkaClientSettings(config).producer(clientId, null),
                Topics.FRAMES.keySerde().serializer(), Topics.FRAMES.valueSerde(config).serializer());
        new KafkaClientMetrics(producer).bindTo(metrics);
        BlobStore blobs = BlobStores.fromConfig(config);
        SiteCatalog catalog = SiteCatalog.load(catalogFile(config));
        long maxImageBytes = config.getLong("ingest.max.image.bytes", 50L * 1024 * 1024);
        long maxClipBytes = config.getLong("ingest.max.clip.bytes", 500L * 1024 * 1024);
        FrameIngestor frames = new FrameIngestor(catalog, blobs, producer, Clock.systemUTC(), maxImageBytes,
                Duration.ofMillis(config.getLong("ingest.kafka.ack.timeout.ms", 30_000)), metrics);
        ClipIngestor clips = new ClipIngestor(frames, blobs, Clock.systemUTC(), maxClipBytes);
        return new IngestComponents(producer, blobs, catalog, frames, clips, metrics, maxImageBytes, maxClipBytes);
    }

    static Path catalogFile(TraplineConfig config) {
        return config.find("ingest.catalog.file").map(Path::of)
                .orElseGet(() -> config.dataDir().resolve("ingest").resolve("catalog.json"));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
        metrics.close();
    }
}
