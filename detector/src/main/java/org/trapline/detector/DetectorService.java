package org.trapline.detector;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.auth.ApiKeys;
import org.trapline.blob.BlobStore;
import org.trapline.blob.BlobStores;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.deadletter.DeadLetterRouter;
import org.trapline.detector.http.DetectorApi;
import org.trapline.detector.model.DetectorModel;
import org.trapline.detector.outcome.FrameOutcomes;
import org.trapline.detector.pipeline.DetectionPipeline;
import org.trapline.detector.redact.KeptResults;
import org.trapline.detector.redact.RedactionJournal;
import org.trapline.detector.redact.RedactionRecovery;
import org.trapline.detector.redact.Redactor;
import org.trapline.detector.repeat.RepeatDetections;
import org.trapline.detector.species.DetectorSpecies;
import org.trapline.runtime.http.ApiKeyAuth;
import org.trapline.runtime.http.HttpSettings;
import org.trapline.runtime.http.ServiceHttp;
import org.trapline.runtime.lifecycle.ServiceMain;
import org.trapline.runtime.loop.LoopClients;
import org.trapline.runtime.loop.LoopSettings;
import org.trapline.runtime.metrics.ServiceMetrics;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.Frame;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.ModelInfo;
import org.trapline.topics.TopicSetup;
import org.trapline.topics.Topics;

/**
 * The detector service: reads every {@link Frame}, runs a real detection network on its image, and decides what is
 * on it (animals, vehicles, nothing, or people to be redacted), publishing one {@link FrameDetections} per frame on
 * {@code detections}, keyed by camera.
 *
 * <p>Exactly once: the detections of a poll and the consumer's offsets are committed in one Kafka transaction
 * ({@link DetectionLoop}), so a crash repeats a batch's work but never publishes it twice or loses it. A redacted
 * frame's original is removed only after the commit, through a {@link RedactionJournal} named in the committed
 * offsets ({@link RedactionRecovery}), so that a crash between the two cannot leave it readable; its published
 * result is kept beside the blobs ({@link KeptResults}), so a retry that finds the image gone republishes the same
 * decision. A frame that cannot be read (not Avro, its image missing or undecodable) goes to the dead-letter topic
 * with the reason ({@link FrameOutcomes}).
 *
 * <p>The work runs as a pipeline ({@link DetectionPipeline}), so that the network never waits: while one poll's
 * frames are decided, published and committed on the loop thread, the next poll's are already being read,
 * decoded, run through the network and, when the species stage ({@link DetectorSpecies}, {@code species.*}) is
 * on, classified, its answers written into the frames' results in the same transaction.
 *
 * <p>Configuration: {@link DetectorSettings}; {@code detector.instance.id} (the host name) and
 * {@code detector.max.poll.records} (32) as {@link LoopSettings} says; {@code detector.http.host} and
 * {@code detector.http.port} (8083) as {@link HttpSettings} says.
 */
public final class DetectorService implements AutoCloseable {

    /** Where its API listens: {@code detector.http.host} (127.0.0.1) and {@code detector.http.port} (8083; 0 picks a free one). */
    public static final HttpSettings.Keys HTTP = new HttpSettings.Keys("detector.http.host", "detector.http.port", 8083);

    private static final Logger log = LoggerFactory.getLogger(DetectorService.class);
    public static final String SERVICE = "detector";

    private final DetectorModel model;
    private final DetectorSpecies species;
    private final DetectionPipeline pipeline;
    private final ServiceMetrics metrics;
    private final DetectionLoop loop;
    private final ServiceHttp http;

    private DetectorService(DetectorModel model, DetectorSpecies species, DetectionPipeline pipeline, ServiceMetrics metrics,
                            DetectionLoop loop, ServiceHttp http) {
        this.model = model;
        this.species = species;
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.loop = loop;
        this.http = http;
    }

    public static DetectorService start(TraplineConfig config) throws IOException {
        return start(config, redacted -> { });
    }

    /** For tests: {@code afterCommit} runs right after each batch's commit, where a crash would hurt most. */
    static DetectorService start(TraplineConfig config, DetectionLoop.AfterCommit afterCommit) throws IOException {
        new TopicSetup(config).run();
        DetectorSettings settings = DetectorSettings.fromConfig(config);
        DetectorModel model = DetectorModel.load(settings.model());
        BlobStore blobs = BlobStores.fromConfig(config);
        Redactor redactor = new Redactor(blobs, settings.redaction());
        RepeatDetections repeats = new RepeatDetections(blobs, settings.repeats());
        FrameDetector decider = new FrameDetector(settings.model().labels(), settings.thresholds(),
                new ModelInfo(settings.model().name(), settings.model().version()), redactor, repeats, Clock.systemUTC());

        LoopSettings loopSettings = LoopSettings.fromConfig(config, SERVICE, hostName(), 32);
        LoopClients clients = LoopClients.connect(new KafkaClientSettings(config), loopSettings);
        ServiceMetrics metrics = new ServiceMetrics().bind(clients.consumer()).bind(clients.producer());
        DetectorSpecies species = DetectorSpecies.fromConfig(config, metrics.registry()).orElse(null);
        DetectionPipeline pipeline = new DetectionPipeline(model, blobs, decider, species,
                Topics.FRAMES.valueSerde(config).deserializer(), DetectionPipeline.batchSize(settings.batchSize(), model.batchLimit()),
                settings.model().threads(), DetectorSettings.DECODE_THREADS.of(config), metrics.registry());
        FrameOutcomes outcomes = new FrameOutcomes(decider, redactor, new KeptResults(blobs),
                Topics.DETECTIONS.valueSerde(config).serializer(),
                new DeadLetterRouter(SERVICE, Topics.DEAD_LETTERS.valueSerde(config).serializer(), Clock.systemUTC()));
        DetectionLoop loop = new DetectionLoop(loopSettings, clients, pipeline, outcomes,
                new RedactionRecovery(new RedactionJournal(blobs)), repeats, species, metrics.registry(), afterCommit);
        ServiceHttp http = ServiceHttp.builder(metrics).alive(loop::alive)
                .ready("loop", loop::alive).ready("blobStore", blobs::writable).build();
        new DetectorApi(repeats, new ApiKeyAuth(ApiKeys.fromConfig(config)), config,
                settings.thresholds().get(DetectionCategory.ANIMAL)).register(http.app());

        loop.start();
        http.start(HttpSettings.fromConfig(config, HTTP));
        log.info("detector running {} ({}, {} frame(s) per inference call; species stage {}) on port {}",
                settings.model().name(), settings.model().family(), pipeline.batchSize(),
                species == null ? "off" : species.stage().settings().classifier().name(), http.port());
        return new DetectorService(model, species, pipeline, metrics, loop, http);
    }

    public int port() {
        return http.port();
    }

    public PrometheusMeterRegistry metrics() {
        return metrics.registry();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return SERVICE;
        }
    }

    @Override
    public void close() {
        loop.close();
        http.close();
        pipeline.close();
        model.close();
        if (species != null) {
            species.close();
        }
        metrics.close();
    }

    public static void main(String[] args) throws Exception {
        ServiceMain.run(SERVICE, args, DetectorService::start);
    }
}
