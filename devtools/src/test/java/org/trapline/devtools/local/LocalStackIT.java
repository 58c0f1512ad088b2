package org.trapline.devtools.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.config.TraplineConfig;
import org.trapline.devtools.DevTrapline;
import org.trapline.registry.ConfluentCompatibleRegistry;
import org.trapline.registry.RegistrySettings;
import org.trapline.schema.Frame;
import org.trapline.schema.SampleRecords;
import org.trapline.localstack.process.FreePorts;
import org.trapline.topics.Topic;
import org.trapline.topics.TopicRecords;
import org.trapline.topics.Topics;

/**
 * The embedded default as a user runs it: a broker and a registry as real processes; records written
 * before a restart are read (and decoded through the registry) after it.
 */
class LocalStackIT {

    @Test
    void theStackServesTheTopicsAndKeepsThemAcrossARestart(@TempDir Path dataDir) throws Exception {
        Frame frame = SampleRecords.frame("cam-local");
        RecordMetadata written;
        try (LocalStack stack = LocalStack.start(freshSettings(dataDir))) {
            assertEquals(Topics.ALL.stream().map(Topic::name).toList(), stack.topics().created(),
                    "the first start creates every topic");
            TraplineConfig fromFile = TraplineConfig.load(stack.configFile(), java.util.Map.of());
            assertEquals(stack.bootstrapServers(), fromFile.bootstrapServers(), "services find the broker");
            assertEquals(stack.registryUrl(), fromFile.registryUrl(), "and the registry");
            assertEquals("BACKWARD", new ConfluentCompatibleRegistry(new RegistrySettings(fromFile)
                    .confluentCompatibleApiUrl()).compatibility(Topics.FRAMES.valueSubject()));
            written = TopicRecords.send(fromFile, Topics.FRAMES, frame.getCameraId(), frame);
        }

        try (LocalStack again = LocalStack.start(freshSettings(dataDir))) {
            assertEquals(List.of(), again.topics().created(), "a restart finds its topics");
            assertEquals(frame, TopicRecords.readAt(again.config(), written,
                    Topics.FRAMES.valueSerde(again.config()).deserializer()), "and decodes old records with the schemas it kept");
        }
    }

    @Test
    void theRunCommandStartsTheStackAndStopsWhenAskedTo(@TempDir Path dataDir) {
        LocalStack.Settings settings = freshSettings(dataDir);
        int exitCode = DevTrapline.commandLine().execute("run", "--exit-when-ready",
                "--data-dir", dataDir.toString(),
                "--kafka-port", String.valueOf(settings.kafkaPort()),
                "--controller-port", String.valueOf(settings.controllerPort()),
                "--registry-port", String.valueOf(settings.registryPort()));
        assertEquals(0, exitCode);
        assertTrue(Files.exists(dataDir.resolve("trapline.properties")), "the service configuration is written");
        assertTrue(Files.exists(dataDir.resolve("kafka/kafka-logs/meta.properties")), "the broker's storage is formatted");
        assertFalse(FreePorts.inUse(settings.kafkaPort()), "the broker is stopped again");
        assertFalse(FreePorts.inUse(settings.registryPort()), "the registry is stopped again");
    }

    private static LocalStack.Settings freshSettings(Path dataDir) {
        return new LocalStack.Settings(dataDir, FreePorts.next(), FreePorts.next(), FreePorts.next());
    }
}
