package org.trapline.ingest;

import java.io.IOException;
import java.nio.file.Path;

import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.config.TraplineConfig;
import org.trapline.auth.ApiKeys;
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
 * {@code ingest.http.port} (8082; 0 picks a free one), {@code ingest.video.fps} (1 frame a second), the
 * API keys (see {@link ApiKeys}) and the settings of {@link IngestComponents}.
 */
public final class IngestService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);
    public static final String SERVICE = "ingest";

    private final IngestComponents parts;
    private final Javalin http;

    private IngestService(IngestComponents parts, Javalin http) {
        this.parts = parts;
        this.http = http;
    }

    public static IngestService start(TraplineConfig config) throws IOException {
        new TopicSetup(config).run();
        IngestComponents parts = IngestComponents.create(config, SERVICE);
        new JvmMemoryMetrics().bindTo(parts.metrics());
        new JvmGcMetrics().bindTo(parts.metrics());
        new JvmThreadMetrics().bindTo(parts.metrics());
        new ProcessorMetrics().bindTo(parts.metrics());
        IngestApi api = new IngestApi(parts, ApiKeys.fromConfig(config),
                new IngestApi.Probes(() -> kafkaAnswers(parts.producer()), parts.blobs()::writable),
                config.getDouble("ingest.video.fps", 1.0));
        Javalin http = api.create().start(config.get("ingest.http.host", "127.0.0.1"), config.getInt("ingest.http.port", 8082));
        log.info("ingest listening on port {}; cameras by site: {}", http.port(), parts.catalog().camerasBySite());
        return new IngestService(parts, http);
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

    public IngestComponents parts() {
        return parts;
    }

    @Override
    public void close() {
        http.stop();
        parts.close();
    }

    public static void main(String[] args) throws Exception {
        TraplineConfig config = TraplineConfig.load(args.length > 0 ? Path.of(args[0]) : null, System.getenv());
        IngestService service = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "ingest-shutdown"));
        Thread.currentThread().join();
    }
}
