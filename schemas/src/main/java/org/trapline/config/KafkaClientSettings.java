package org.trapline.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.trapline.deadletter.DeadLetterDeserializationHandler;
import org.trapline.registry.RegistrySettings;

/**
 * The Kafka client settings every Trapline service starts from. No acknowledged record may be lost or
 * counted twice, so producers are idempotent with {@code acks=all}, consumers read only committed
 * records and commit explicitly, and Kafka Streams runs exactly-once v2. Anything under {@code kafka.}
 * in the configuration (security, timeouts) is passed through and wins.
 */
public final class KafkaClientSettings {

    /** Streams and consumers read which service they belong to from this key (dead letters name it). */
    public static final String SERVICE_NAME = "trapline.service.name";

    private final TraplineConfig config;

    public KafkaClientSettings(TraplineConfig config) {
        this.config = config;
    }

    /** Settings shared by all clients: where the cluster is, plus every {@code kafka.*} pass-through. */
    public Map<String, Object> common() {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.putAll(config.withPrefix("kafka."));
        return props;
    }

    public Map<String, Object> admin() {
        return common();
    }

    /** An idempotent producer; with a transactional id when the service writes exactly once. */
    public Map<String, Object> producer(String clientId, String transactionalId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        if (transactionalId != null) {
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        props.putAll(common());
        return props;
    }

    /** A consumer that sees only committed records and commits its offsets itself. */
    public Map<String, Object> consumer(String groupId, String clientId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putAll(common());
        return props;
    }

    /**
     * Kafka Streams, exactly-once v2, state under the service's data directory (never /tmp), records
     * that cannot be deserialised sent to the dead-letter topic.
     */
    public Map<String, Object> streams(String applicationId, String serviceName) {
        Map<String, Object> props = new HashMap<>();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir(serviceName).toString());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
        props.put(SERVICE_NAME, serviceName);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        props.putAll(new RegistrySettings(config).serdeProperties());
        props.putAll(common());
        return props;
    }

    Path stateDir(String serviceName) {
        return config.dataDir().resolve(serviceName).resolve("streams").toAbsolutePath();
    }
}
