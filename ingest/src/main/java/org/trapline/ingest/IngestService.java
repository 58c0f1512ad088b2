package org.trapline.ingest;

import java.io.IOException;

import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.config.TraplineConfig;
import org.trapline.auth.ApiKeys;
import org.trapline.ingest.http.IngestApi;
import org.trapline.runtime.http.ApiKeyAuth;
import org.trapline.runtime.http.HttpSettings;
import org.trapline.runtime.http.ServiceHttp;
import org.trapline.runtime.lifecycle.ServiceMain;
import org.trapline.runtime.metrics.ServiceMetrics;
import org.trapline.schema.Frame;
import org.trapline.topics.TopicSetup;
import org.trapline.topics.Topics;

/**
 * The ingest service: accepts images from camera gateways and SD-card imports, decides which are
 * acceptable frames (known camera, a whole image, not sent before), keeps their bytes in the blob store
 * and publishes each as a {@link Frame} on {@code frames}, keyed by camera.
 *
 * <p>Configuration (file plus {@code TRAPLINE_*} environment): {@code ingest.http.host} (127.0.0.1) and
 * {@code ingest.http.port} (8082) as {@link HttpSettings} says, {@code ingest.video.fps} (1 frame a second), the
 * API keys (see {@link ApiKeys}) and the settings of {@link IngestComponents}.
 */
public final class IngestService implements AutoCloseable {

    /** Where its API listens: {@code ingest.http.host} (127.0.0.1) and {@code ingest.http.port} (8082; 0 picks a free one). */
    public static final HttpSettings.Keys HTTP = new HttpSettings.Keys("ingest.http.host", "ingest.http.port", 8082);

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);
    public static final String SERVICE = "ingest";

    private final IngestComponents parts;
    private final ServiceMetrics metrics;
    private final ServiceHttp http;

    private IngestService(IngestComponents parts, ServiceMetrics metrics, ServiceHttp http) {
        this.parts = parts;
        this.metrics = metrics;
        this.http = http;
    }

    public static IngestService start(TraplineConfig config) throws IOException {
        new TopicSetup(config).run();
        IngestComponents parts = IngestComponents.create(config, SERVICE);
        ServiceMetrics metrics = new ServiceMetrics(parts.metrics());
        ServiceHttp http = ServiceHttp.builder(metrics).maxRequestSize(IngestApi.maxRequestSize(parts))
                .ready("kafka", () -> kafkaAnswers(parts.producer())).ready("blobStore", parts.blobs()::writable)
                .build();
        new IngestApi(parts, new ApiKeyAuth(ApiKeys.fromConfig(config)), IngestComponents.VIDEO_FPS.of(config))
                .register(http.app());
        http.start(HttpSettings.fromConfig(config, HTTP));
        log.info("ingest listening on port {}; cameras by site: {}", http.port(), parts.catalog().camerasBySite());
        return new IngestService(parts, metrics, http);
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
        http.close();
        parts.close();
        metrics.close();
    }

    public static void main(String[] args) throws Exception {
        ServiceMain.run(SERVICE, args, IngestService::start);
    }
}
