package org.trapline.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.trapline.config.TraplineConfig;
import org.trapline.schema.Frame;
import org.trapline.schema.SampleRecords;
import org.trapline.localstack.registry.ApicurioRegistryServer;

/**
 * For those with Docker: topic setup and a round trip against the official Apache Kafka image, beside
 * the in-process broker the other tests use. Skipped where no Docker engine runs (as on Trapline's CI).
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerBrokerIT {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.1");

    @Test
    void topicsAreSetUpAndCarryRecordsOnAContainerBroker(@TempDir Path dir) throws Exception {
        try (ApicurioRegistryServer registry = ApicurioRegistryServer.start(dir.resolve("registry"))) {
            TraplineConfig config = TraplineConfig.of(Map.of(
                    TraplineConfig.BOOTSTRAP_SERVERS, KAFKA.getBootstrapServers(),
                    TraplineConfig.REGISTRY_URL, registry.url(),
                    TraplineConfig.DATA_DIR, dir.toString()));
            assertEquals(Topics.ALL.stream().map(Topic::name).toList(), new TopicSetup(config).run().created());
            Frame frame = SampleRecords.frame("cam-container");
            var written = TopicRecords.send(config, Topics.FRAMES, frame.getCameraId(), frame);
            assertEquals(frame, TopicRecords.readAt(config, written, Topics.FRAMES.valueSerde(config).deserializer()));
        }
    }
}
