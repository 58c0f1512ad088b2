package org.trapline.testsupport.junit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.trapline.testsupport.kafka.EmbeddedKafkaCluster;
import org.trapline.localstack.registry.ApicurioRegistryServer;

/**
 * The real parts an integration test talks to: a KRaft cluster and a schema registry, started once per
 * test JVM and shared by its tests (tests keep out of each other's way with topic names and group ids of
 * their own, or with records they can tell apart).
 */
public final class TestStack implements AutoCloseable {

    private final EmbeddedKafkaCluster kafka;
    private final ApicurioRegistryServer registry;

    private TestStack(EmbeddedKafkaCluster kafka, ApicurioRegistryServer registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    static TestStack start() throws Exception {
        Path base = Files.createTempDirectory("trapline-stack");
        EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.singleNode(base.resolve("kafka"));
        try {
            return new TestStack(kafka, ApicurioRegistryServer.start(base.resolve("registry")));
        } catch (Exception e) {
            kafka.close();
            throw e;
        }
    }

    public EmbeddedKafkaCluster kafka() {
        return kafka;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Base URL of the schema registry. */
    public String registryUrl() {
        return registry.url();
    }

    /**
     * Service configuration pointing at this stack, in Trapline's configuration keys, with state under
     * {@code dataDir}.
     */
    public Map<String, String> config(Path dataDir) {
        return Map.of(
                "kafka.bootstrap.servers", bootstrapServers(),
                "registry.url", registryUrl(),
                "data.dir", dataDir.toString());
    }

    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            kafka.close();
        }
    }
}
