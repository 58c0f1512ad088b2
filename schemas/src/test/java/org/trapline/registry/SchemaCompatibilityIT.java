package org.trapline.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.config.TraplineConfig;
import org.trapline.schema.Frame;
import org.trapline.schema.SampleRecords;
import org.trapline.testsupport.junit.TestStack;
import org.trapline.testsupport.junit.TestStackExtension;
import org.trapline.topics.TopicRecords;
import org.trapline.topics.TopicSetup;
import org.trapline.topics.Topics;

/**
 * What other teams rely on: our bytes are the Confluent wire format that any Confluent-style consumer
 * decodes through the compatible API, and the registry refuses a schema change that old data could not
 * be read with.
 */
@ExtendWith(TestStackExtension.class)
class SchemaCompatibilityIT {

    static TraplineConfig config;
    static ConfluentCompatibleRegistry registry;

    @BeforeAll
    static void setUp(TestStack stack, @TempDir Path dataDir) {
        config = TraplineConfig.of(stack.config(dataDir));
        new TopicSetup(config).run();
        registry = new ConfluentCompatibleRegistry(new RegistrySettings(config).confluentCompatibleApiUrl());
    }

    @Test
    void aConfluentStyleConsumerDecodesOurRecords() throws Exception {
        Frame frame = SampleRecords.frame("cam-confluent-" + UUID.randomUUID());
        var written = TopicRecords.send(config, Topics.FRAMES, frame.getCameraId(), frame);
        byte[] bytes = TopicRecords.readAt(config, written, new ByteArrayDeserializer());

        // Confluent wire format: magic byte 0, 4-byte big-endian schema id, Avro binary
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        assertEquals(0, buffer.get(), "magic byte");
        int schemaId = buffer.getInt();
        Schema writerSchema = new Schema.Parser().parse(registry.schemaById(schemaId));
        assertEquals("org.trapline.schema.Frame", writerSchema.getFullName());

        GenericRecord decoded = new GenericDatumReader<GenericRecord>(writerSchema).read(null,
                DecoderFactory.get().binaryDecoder(bytes, buffer.position(), buffer.remaining(), null));
        assertEquals(frame.getFrameId(), decoded.get("frameId").toString());
        assertEquals(frame.getContentSha256(), decoded.get("contentSha256").toString());
        assertEquals(frame.getCaptureTime().toEpochMilli(), decoded.get("captureTime"));
        assertEquals(frame.getVideo().getFrameNumber(), ((GenericRecord) decoded.get("video")).get("frameNumber"));
        assertEquals(frame.getBlob().getUri(), ((GenericRecord) decoded.get("blob")).get("uri").toString());
    }

    @Test
    void everySubjectIsBackwardCompatible() {
        for (var topic : Topics.ALL) {
            assertEquals("BACKWARD", registry.compatibility(topic.valueSubject()), topic.valueSubject());
        }
    }

    @Test
    void anIncompatibleChangeIsRefused() {
        String incompatible = withField(Frame.getClassSchema(),
                "{\"name\":\"species\",\"type\":\"string\"}");  // required: old frames have no species
        var refused = assertThrows(ConfluentCompatibleRegistry.RegistryException.class,
                () -> registry.register(Topics.FRAMES.valueSubject(), incompatible));
        assertEquals(409, refused.status(), refused.getMessage());
    }

    @Test
    void aCompatibleChangeIsAccepted() {
        // on a subject of its own, so that the real topics keep the schema the code was built with
        String subject = "compatibility-probe-" + UUID.randomUUID() + "-value";
        int first = registry.register(subject, Frame.getClassSchema().toString());
        registry.setCompatibility(subject, TopicSetup.COMPATIBILITY);
        int second = registry.register(subject, withField(Frame.getClassSchema(),
                "{\"name\":\"species\",\"type\":[\"null\",\"string\"],\"default\":null}"));
        assertTrue(second != first, "a new version with its own id");
        var refused = assertThrows(ConfluentCompatibleRegistry.RegistryException.class,
                () -> registry.register(subject, withField(Frame.getClassSchema(), "{\"name\":\"habitat\",\"type\":\"int\"}")));
        assertEquals(409, refused.status());
    }

    /**
     * Every version of every topic's schema that was ever on main is kept in {@code released-schemas/NAME/vN.avsc}
     * (the whole schema, the shared types in line). Registered oldest first on a subject of their own under the
     * topics' rule, each must be accepted after the one before, and the schema the code is built with must be
     * the last of them: a change to a schema fails here until its new version is added, and is refused if old
     * records could not be read with it.
     */
    @Test
    void everyReleasedVersionOfEachSchemaReadsTheOnesBefore() throws Exception {
        Map<String, Schema> current = new LinkedHashMap<>();
        Topics.ALL.forEach(topic -> current.putIfAbsent(topic.valueSchema().getName(), topic.valueSchema()));
        Path released = Path.of(SchemaCompatibilityIT.class.getResource("/released-schemas").toURI());
        for (Map.Entry<String, Schema> schema : current.entrySet()) {
            List<Path> versions = new ArrayList<>();
            Path dir = released.resolve(schema.getKey());
            if (Files.isDirectory(dir)) {
                try (var files = Files.list(dir)) {
                    files.sorted(Comparator.comparingInt(f -> Integer.parseInt(f.getFileName().toString().replaceAll("\\D", ""))))
                            .forEach(versions::add);
                }
            }
            assertTrue(!versions.isEmpty(), "no released versions of " + schema.getKey() + " in released-schemas/");
            Schema latest = new Schema.Parser().parse(Files.readString(versions.getLast()));
            // the generated classes' schemas carry a hint for the Java string type that no other reader needs
            String built = schema.getValue().toString().replace(",\"avro.java.string\":\"String\"", "")
                    .replace("{\"type\":\"string\"}", "\"string\"");
            assertTrue(built.equals(latest.toString()), schema.getKey() + " changed: add it as the next version in released-schemas/"
                    + schema.getKey() + " (the schema as the generated class has it)");
            String subject = "released-" + schema.getKey() + "-" + UUID.randomUUID() + "-value";
            registry.register(subject, Files.readString(versions.getFirst()));
            registry.setCompatibility(subject, TopicSetup.COMPATIBILITY);
            for (Path version : versions.subList(1, versions.size())) {
                try {
                    registry.register(subject, Files.readString(version));
                } catch (ConfluentCompatibleRegistry.RegistryException e) {
                    throw new AssertionError(schema.getKey() + " " + version.getFileName()
                            + " cannot read what the version before it wrote: " + e.getMessage(), e);
                }
            }
        }
    }

    /** The schema as JSON with one more field at the end. */
    private static String withField(Schema schema, String fieldJson) {
        String json = schema.toString();
        int fieldsEnd = json.lastIndexOf("]");
        return json.substring(0, fieldsEnd) + "," + fieldJson + json.substring(fieldsEnd);
    }
}
