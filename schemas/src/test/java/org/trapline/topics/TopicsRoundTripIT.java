package org.trapline.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.config.TraplineConfig;
import org.trapline.schema.Correction;
import org.trapline.schema.Frame;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.SampleRecords;
import org.trapline.schema.Sighting;
import org.trapline.testsupport.junit.TestStack;
import org.trapline.testsupport.junit.TestStackExtension;

/** Every topic's value schema through the real broker and the real registry, and back, field for field. */
@ExtendWith(TestStackExtension.class)
class TopicsRoundTripIT {

    static TraplineConfig config;

    @BeforeAll
    static void setUp(TestStack stack, @TempDir Path dataDir) {
        config = TraplineConfig.of(stack.config(dataDir));
        new TopicSetup(config).run();
    }

    @Test
    void everySchemaSurvivesTheRoundTrip() throws Exception {
        Frame frame = SampleRecords.frame("cam-roundtrip-" + UUID.randomUUID());
        FrameDetections detections = SampleRecords.detections(frame);
        Sighting sighting = SampleRecords.sighting(detections);
        roundTrip(Topics.FRAMES, frame.getCameraId(), frame);
        roundTrip(Topics.DETECTIONS, detections.getCameraId(), detections);
        roundTrip(Topics.SIGHTINGS, sighting.getSiteId(), sighting);
        roundTrip(Topics.INDIVIDUALS, sighting.getIndividualId(), SampleRecords.individual(sighting));
        Correction correction = SampleRecords.correction(sighting);
        roundTrip(Topics.CORRECTIONS, correction.getFrameId(), correction);
        roundTrip(Topics.SITE_COUNTS, "kruger-north", SampleRecords.siteCount("kruger-north"));
        roundTrip(Topics.DEAD_LETTERS, "frames", SampleRecords.deadLetter());
    }

    private <V extends SpecificRecord> void roundTrip(Topic<String, V> topic, String key, V value) throws Exception {
        var written = TopicRecords.send(config, topic, key, value);
        V read = TopicRecords.readAt(config, written, topic.valueSerde(config).deserializer());
        assertEquals(topic.valueType(), read.getClass(), "read into the generated class");
        assertEquals(value, read, topic.name() + " lost or changed a field");
    }

    @Test
    void topicsCarryTheirDeclaredSettings(TestStack stack) throws Exception {
        try (Admin admin = stack.kafka().admin()) {
            var descriptions = admin.describeTopics(Topics.ALL.stream().map(Topic::name).toList()).allTopicNames().get();
            for (Topic<String, ?> topic : Topics.ALL) {
                assertEquals(topic.partitions(), descriptions.get(topic.name()).partitions().size(), topic.name());
            }
            ConfigResource gallery = new ConfigResource(ConfigResource.Type.TOPIC, Topics.INDIVIDUALS.name());
            var galleryConfig = admin.describeConfigs(List.of(gallery)).all().get().get(gallery);
            assertEquals("compact", galleryConfig.get("cleanup.policy").value(), "the gallery topic is compacted");
            ConfigResource sightings = new ConfigResource(ConfigResource.Type.TOPIC, Topics.SIGHTINGS.name());
            assertEquals("-1", admin.describeConfigs(List.of(sightings)).all().get().get(sightings)
                    .get("retention.ms").value(), "sightings are kept");
        }
    }

    @Test
    void setupIsIdempotentAndRestoresDriftedSettings(TestStack stack) throws Exception {
        TopicSetup.Report again = new TopicSetup(config).run();
        assertEquals(List.of(), again.created(), "a second run creates nothing");
        assertEquals(List.of(), again.reconfigured(), "and changes nothing");
        Set<String> subjects = again.schemaIds().keySet();
        assertEquals(Topics.ALL.stream().map(Topic::valueSubject).collect(Collectors.toSet()), subjects);

        // an operator turned compaction off by hand: the next start puts it back
        try (Admin admin = stack.kafka().admin()) {
            ConfigResource gallery = new ConfigResource(ConfigResource.Type.TOPIC, Topics.INDIVIDUALS.name());
            admin.incrementalAlterConfigs(Map.of(gallery, List.of(new org.apache.kafka.clients.admin.AlterConfigOp(
                    new org.apache.kafka.clients.admin.ConfigEntry("cleanup.policy", "delete"),
                    org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)))).all().get();
            assertEquals(List.of(Topics.INDIVIDUALS.name()), new TopicSetup(config).run().reconfigured());
            assertEquals("compact", admin.describeConfigs(List.of(gallery)).all().get().get(gallery)
                    .get("cleanup.policy").value());
        }
    }
}
