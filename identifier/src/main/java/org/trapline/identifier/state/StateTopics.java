package org.trapline.identifier.state;

import java.time.Duration;
import java.util.Collection;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.schema.CameraSequence;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.Sighting;
import org.trapline.topics.Topic;
import org.trapline.topics.TopicSnapshot;
import org.trapline.topics.Topics;

/**
 * The identifier's committed state as its compacted topics hold it, each read from its start to its current end
 * (committed records only). A record that cannot be decoded is left out, and said so.
 */
public final class StateTopics implements CommittedState {

    private static final Logger log = LoggerFactory.getLogger(StateTopics.class);
    private static final Duration SNAPSHOT_TIMEOUT = Duration.ofMinutes(2);

    private final TraplineConfig config;
    private final KafkaClientSettings clients;
    private final String service;

    public StateTopics(TraplineConfig config, String service) {
        this.config = config;
        this.clients = new KafkaClientSettings(config);
        this.service = service;
    }

    @Override
    public Collection<IndividualUpdate> individuals() {
        return latest("gallery", Topics.INDIVIDUALS);
    }

    @Override
    public Collection<Sighting> reviewQueue() {
        return latest("review", Topics.REVIEW_QUEUE);
    }

    @Override
    public Collection<CameraSequence> sequences() {
        return latest("sequence", Topics.CAMERA_SEQUENCES);
    }

    private <V extends SpecificRecord> Collection<V> latest(String reader, Topic<String, V> topic) {
        Deserializer<V> values = topic.valueSerde(config).deserializer();
        return TopicSnapshot.latest(clients, service + "-" + reader + "-reader", topic.name(), values, SNAPSHOT_TIMEOUT,
                StateTopics::unreadable).values();
    }

    private static void unreadable(ConsumerRecord<byte[], byte[]> record, RuntimeException e) {
        log.error("{} offset {} cannot be read and is left out of the state: {}", record.topic(), record.offset(), e.toString());
    }
}
