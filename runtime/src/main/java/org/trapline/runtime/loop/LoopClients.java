package org.trapline.runtime.loop;

import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.trapline.config.KafkaClientSettings;

/**
 * The two clients of a {@link TransactionalLoop}: a consumer reading only committed records, in the service's
 * group, and a transactional producer. Records stay bytes: a service decodes them itself, so that one it cannot
 * read becomes a dead letter instead of stopping the loop.
 */
public record LoopClients(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer) {

    /** Real clients for {@code settings}' instance. */
    public static LoopClients connect(KafkaClientSettings clients, LoopSettings settings) {
        Map<String, Object> consumerProps = clients.consumer(settings.service(), settings.clientName());
        consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
        // static membership: a restarted instance takes its partitions back at once instead of waiting out the
        // dead member's session; the instance id is unique already, as the transactional id must be
        consumerProps.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, settings.clientName());
        return new LoopClients(new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                new KafkaProducer<>(clients.producer(settings.clientName(), settings.clientName()),
                        new ByteArraySerializer(), new ByteArraySerializer()));
    }
}
