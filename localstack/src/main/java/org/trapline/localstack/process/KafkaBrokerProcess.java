package org.trapline.localstack.process;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker (KRaft, one combined broker+controller node) run as its own process with the
 * broker classes from Maven Central ({@code org.apache.kafka:kafka_2.13}) found on this JVM's class
 * path. Its storage is formatted on first start and kept under {@code dataDir}, so a restart finds its
 * topics again.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    private final JavaProcess process;
    private final String bootstrapServers;

    private KafkaBrokerProcess(JavaProcess process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    public static KafkaBrokerProcess start(Path dataDir, int port, int controllerPort)
            throws IOException, InterruptedException {
        for (int p : new int[] {port, controllerPort}) {
            if (FreePorts.inUse(p)) {
                throw new IllegalStateException("cannot start the Kafka broker: port " + p + " is already in use");
            }
        }
        Path logDirs = dataDir.resolve("kafka-logs").toAbsolutePath();
        Path config = dataDir.resolve("server.properties").toAbsolutePath();
        writeConfig(config, logDirs, port, controllerPort);
        List<String> jvmArgs = List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=trapline-broker-logback.xml");
        Path log = dataDir.resolve("kafka.log");
        if (!Files.exists(logDirs.resolve("meta.properties"))) {
            JavaProcess.runToCompletion("kafka-storage-format", jvmArgs,
                    List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                            "-c", config.toString()),
                    dataDir, log, Duration.ofSeconds(60));
        }
        JavaProcess process = JavaProcess.start("kafka-broker", jvmArgs, List.of("kafka.Kafka", config.toString()),
                dataDir, log);
        String bootstrap = "127.0.0.1:" + port;
        try {
            process.awaitReady(() -> clusterAnswers(bootstrap), Duration.ofSeconds(90));
        } catch (RuntimeException | InterruptedException e) {
            process.close();
            throw e;
        }
        return new KafkaBrokerProcess(process, bootstrap);
    }

    private static void writeConfig(Path file, Path logDirs, int port, int controllerPort) throws IOException {
        Properties props = new Properties();
        props.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
                Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("log.dirs", logDirs.toString()),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("auto.create.topics.enable", "false")));
        Files.createDirectories(file.getParent());
        try (Writer writer = Files.newBufferedWriter(file)) {
            props.store(writer, "written by Trapline's local stack on each start");
        }
    }

    private static boolean clusterAnswers(String bootstrap) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public JavaProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
