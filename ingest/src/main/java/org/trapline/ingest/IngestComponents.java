package org.trapline.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.trapline.config.CommonSettings;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.Setting;
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

    public static final Setting<Long> MAX_IMAGE_BYTES = Setting.longInteger("ingest.max.image.bytes", 50L * 1024 * 1024,
            "larger uploads get 413").documentedDefault("50 MB").requiring(v -> v >= 1, "1 or more");
    public static final Setting<Long> MAX_CLIP_BYTES = Setting.longInteger("ingest.max.clip.bytes", 500L * 1024 * 1024,
            "the largest clip").documentedDefault("500 MB").requiring(v -> v >= 1, "1 or more");
    public static final Setting<Long> KAFKA_ACK_TIMEOUT_MS = Setting.longInteger("ingest.kafka.ack.timeout.ms", 30_000,
            "how long an upload waits for Kafka's acknowledgement").documentedDefault("30 s").requiring(v -> v >= 1, "1 or more");
    public static final Setting<Double> VIDEO_FPS = Setting.decimal("ingest.video.fps", 1.0,
            "frames sampled per second of video").requiring(v -> v > 0, "more than 0");

    /** Every ingest setting declared as a {@link Setting}; gateways' and operators' keys are read by prefix. */
    public static final List<Setting<?>> ALL = List.of(MAX_IMAGE_BYTES, MAX_CLIP_BYTES, KAFKA_ACK_TIMEOUT_MS,
            VIDEO_FPS);

    public static IngestComponents create(TraplineConfig config, String clientId) throws IOException {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Producer<String, Frame> producer = new KafkaProducer<>(new KafkaClientSettings(config).producer(clientId, null),
                Topics.FRAMES.keySerde().serializer(), Topics.FRAMES.valueSerde(config).serializer());
        new KafkaClientMetrics(producer).bindTo(metrics);
        BlobStore blobs = BlobStores.fromConfig(config);
        SiteCatalog catalog = SiteCatalog.load(catalogFile(config));
        long maxImageBytes = MAX_IMAGE_BYTES.of(config);
        long maxClipBytes = MAX_CLIP_BYTES.of(config);
        FrameIngestor frames = new FrameIngestor(catalog, blobs, producer, Clock.systemUTC(), maxImageBytes,
                Duration.ofMillis(KAFKA_ACK_TIMEOUT_MS.of(config)), metrics);
        ClipIngestor clips = new ClipIngestor(frames, blobs, Clock.systemUTC(), maxClipBytes);
        return new IngestComponents(producer, blobs, catalog, frames, clips, metrics, maxImageBytes, maxClipBytes);
    }

    static Path catalogFile(TraplineConfig config) {
        return CommonSettings.catalogFile(config);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
        metrics.close();
    }
}
