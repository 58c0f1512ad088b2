package org.trapline.identifier;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.trapline.config.TraplineConfig;
import org.trapline.schema.CameraSequence;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.Sighting;
import org.trapline.topics.Topics;

/**
 * The records the identifier reads and writes: what it reads decoded, what it writes each on its topic with its
 * key. The serdes are the registry's in the service, plain Avro in tests without one.
 */
public record IdentifierRecords(Deserializer<FrameDetections> detections, Serializer<Sighting> sightings,
                                Serializer<IndividualUpdate> individuals, Serializer<CameraSequence> sequences) {

    public static IdentifierRecords fromConfig(TraplineConfig config) {
        return new IdentifierRecords(Topics.DETECTIONS.valueSerde(config).deserializer(),
                Topics.SIGHTINGS.valueSerde(config).serializer(), Topics.INDIVIDUALS.valueSerde(config).serializer(),
                Topics.CAMERA_SEQUENCES.valueSerde(config).serializer());
    }

    /** A sighting, for counting downstream: keyed by site. */
    public ProducerRecord<byte[], byte[]> sighting(Sighting sighting) {
        return record(Topics.SIGHTINGS.name(), sighting.getSiteId(), sightings.serialize(Topics.SIGHTINGS.name(), sighting));
    }

    /** A sighting waiting for a reviewer: keyed by itself, so that its resolution's tombstone removes it. */
    public ProducerRecord<byte[], byte[]> queued(Sighting sighting) {
        return record(Topics.REVIEW_QUEUE.name(), sighting.getSightingId(), sightings.serialize(Topics.REVIEW_QUEUE.name(), sighting));
    }

    /** An individual's whole new state: keyed by individual. */
    public ProducerRecord<byte[], byte[]> individual(IndividualUpdate update) {
        return record(Topics.INDIVIDUALS.name(), update.getIndividualId(), individuals.serialize(Topics.INDIVIDUALS.name(), update));
    }

    /** A camera's open event: keyed by camera. */
    public ProducerRecord<byte[], byte[]> sequence(CameraSequence event) {
        return record(Topics.CAMERA_SEQUENCES.name(), event.getCameraId(), sequences.serialize(Topics.CAMERA_SEQUENCES.name(), event));
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
    }
}
