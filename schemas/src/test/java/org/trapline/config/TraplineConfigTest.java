package org.trapline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.NoSuchElementException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraplineConfigTest {

    @Test
    void theEnvironmentOverridesTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("trapline.properties");
        Files.writeString(file, """
                kafka.bootstrap.servers=broker-a:9092
                registry.url=http://registry:8081/
                kafka.security.protocol=SASL_SSL
                """);
        TraplineConfig config = TraplineConfig.load(file, Map.of(
                "TRAPLINE_KAFKA_BOOTSTRAP_SERVERS", "broker-b:9092",
                "TRAPLINE_KAFKA_SASL_JAAS_CONFIG", "secret-jaas",
                "HOME", "/root"));
        assertEquals("broker-b:9092", config.bootstrapServers());
        assertEquals("http://registry:8081", config.registryUrl(), "a trailing slash is dropped");
        assertEquals(Map.of("bootstrap.servers", "broker-b:9092", "security.protocol", "SASL_SSL",
                "sasl.jaas.config", "secret-jaas"), config.withPrefix("kafka."));
        assertFalse(config.toString().contains("secret-jaas"), "secrets stay out of logs: " + config);
    }

    @Test
    void theFileCanBeNamedByTheEnvironment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cluster.properties");
        Files.writeString(file, "registry.url=http://r:1\n");
        TraplineConfig config = TraplineConfig.load(null, Map.of("TRAPLINE_CONFIG", file.toString()));
        assertEquals("http://r:1", config.registryUrl());
        assertFalse(config.find("config").isPresent(), "the file's own name is not a setting");
    }

    @Test
    void clientsPassSecuritySettingsThroughAndKeepTheirGuarantees() {
        TraplineConfig config = TraplineConfig.of(Map.of(
                "kafka.bootstrap.servers", "b:9092", "registry.url", "http://r:8081",
                "kafka.security.protocol", "SSL", "apicurio.registry.auth.username", "svc"));
        KafkaClientSettings clients = new KafkaClientSettings(config);
        var producer = clients.producer("p", "tx-1");
        assertEquals("all", producer.get("acks"));
        assertEquals(true, producer.get("enable.idempotence"));
        assertEquals("SSL", producer.get("security.protocol"));
        assertEquals("read_committed", clients.consumer("g", "c").get("isolation.level"));
        var streams = clients.streams("app", "aggregator");
        assertEquals("exactly_once_v2", streams.get("processing.guarantee"));
        assertEquals("svc", streams.get("apicurio.registry.auth.username"));
        // state lives under data.dir, wherever the checkout is (even under /tmp), and never in the JVM's temp
        // directory, which Streams would choose by default and the machine may clear
        Path stateDir = Path.of(streams.get("state.dir").toString());
        assertEquals(config.dataDir().resolve("aggregator").resolve("streams").toAbsolutePath(), stateDir);
        assertNotEquals(Path.of(System.getProperty("java.io.tmpdir"), "kafka-streams").toAbsolutePath(), stateDir,
                "not Streams' default in the JVM's temp directory");
    }

    @Test
    void aMissingOrMalformedSettingSaysWhichAndHow() {
        TraplineConfig config = TraplineConfig.of(Map.of("topics.partitions", "six"));
        var missing = assertThrows(NoSuchElementException.class, config::bootstrapServers);
        assertTrue(missing.getMessage().contains("TRAPLINE_KAFKA_BOOTSTRAP_SERVERS"), missing.getMessage());
        var malformed = assertThrows(IllegalArgumentException.class, () -> config.getInt("topics.partitions", 1));
        assertTrue(malformed.getMessage().contains("'six'"), malformed.getMessage());
    }
}
