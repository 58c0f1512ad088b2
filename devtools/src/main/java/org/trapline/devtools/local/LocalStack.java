package org.trapline.devtools.local;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.config.TraplineConfig;
import org.trapline.localstack.process.KafkaBrokerProcess;
import org.trapline.localstack.registry.ApicurioRegistryServer;
import org.trapline.topics.TopicSetup;

/**
 * The embedded default: a real Kafka broker (KRaft) and the Apicurio schema registry, each its own
 * process started from Maven Central artifacts, on loopback, with their data under one directory so
 * that a restart finds topics and schemas again. Once both answer, the topics and schema subjects are
 * set up and a service configuration pointing at them is written beside the data.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

    /** Ports and place of a local stack. */
    public record Settings(Path dataDir, int kafkaPort, int controllerPort, int registryPort) {
    }

    private final KafkaBrokerProcess broker;
    private final ApicurioRegistryServer registry;
    private final TraplineConfig config;
    private final Path configFile;
    private final TopicSetup.Report topics;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private LocalStack(KafkaBrokerProcess broker, ApicurioRegistryServer registry, TraplineConfig config,
                       Path configFile, TopicSetup.Report topics) {
        this.broker = broker;
        this.registry = registry;
        this.config = config;
        this.configFile = configFile;
        this.topics = topics;
    }

    public static LocalStack start(Settings settings) throws IOException, InterruptedException {
        Path dataDir = settings.dataDir().toAbsolutePath();
        Files.createDirectories(dataDir);
        log.info("starting a Kafka broker on 127.0.0.1:{} (data and log in {})", settings.kafkaPort(),
                dataDir.resolve("kafka"));
        KafkaBrokerProcess broker = KafkaBrokerProcess.start(dataDir.resolve("kafka"), settings.kafkaPort(),
                settings.controllerPort());
        ApicurioRegistryServer registry = null;
        try {
            log.info("starting the schema registry on 127.0.0.1:{}", settings.registryPort());
            registry = ApicurioRegistryServer.start(dataDir.resolve("registry"), settings.registryPort(),
                    registryStorage(dataDir.resolve("registry")));
            Map<String, String> values = new LinkedHashMap<>(Map.of(
                    TraplineConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers(),
                    TraplineConfig.REGISTRY_URL, registry.url(),
                    TraplineConfig.DATA_DIR, dataDir.resolve("services").toString(),
                    TraplineConfig.REPLICATION_FACTOR, "1"));
            sharedModels().ifPresent(models -> values.put("models.dir", models.toString()));
            TraplineConfig config = TraplineConfig.of(values);
            TopicSetup.Report topics = new TopicSetup(config).run();
            Path configFile = writeServiceConfig(dataDir.resolve("trapline.properties"), config);
            return new LocalStack(broker, registry, config, configFile, topics);
        } catch (IOException | RuntimeException | InterruptedException e) {
            if (registry != null) {
                registry.close();
            }
            broker.close();
            throw e;
        }
    }

    /** The shared models beside the project, when there: the detector's default network lies there. */
    private static java.util.Optional<Path> sharedModels() {
        try {
            return java.util.Optional.of(org.trapline.localstack.samples.SharedData.locate().models());
        } catch (IllegalStateException e) {
            return java.util.Optional.empty();
        }
    }

    /** Schemas kept in an H2 file beside the broker's data, so record ids stay valid across restarts. */
    private static Map<String, String> registryStorage(Path dir) {
        return Map.of(
                "apicurio.storage.kind", "sql",
                "apicurio.storage.sql.kind", "h2",
                "apicurio.datasource.url", "jdbc:h2:file:" + dir.toAbsolutePath().resolve("schemas")
                        + ";DB_CLOSE_ON_EXIT=FALSE",
                "apicurio.datasource.username", "sa",
                "apicurio.datasource.password", "");
    }

    private static Path writeServiceConfig(Path file, TraplineConfig config) throws IOException {
        Map<String, String> values = new LinkedHashMap<>(config.asMap());
        try (Writer writer = Files.newBufferedWriter(file)) {
            writer.write("# Trapline services: point them here with --config " + file + " or TRAPLINE_CONFIG\n");
            for (var entry : values.entrySet()) {
                writer.write(entry.getKey() + "=" + entry.getValue() + "\n");
            }
        }
        return file;
    }

    public TraplineConfig config() {
        return config;
    }

    public Path configFile() {
        return configFile;
    }

    public TopicSetup.Report topics() {
        return topics;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String registryUrl() {
        return registry.url();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            registry.close();
        } finally {
            broker.close();
        }
    }
}
