package org.trapline.topics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.trapline.config.KafkaClientSettings;

/**
 * A compacted topic read from its start to its current end: the state a service rebuilds on start (the
 * gallery, the review queue). Reads only committed records, so what an aborted transaction wrote never
 * comes back. A record that cannot be decoded is handed over as {@code null} with its key, like a
 * tombstone, after being reported to {@code onUndecodable}.
 */
public final class TopicSnapshot {

    private TopicSnapshot() {
    }

    /** The latest value per key (tombstones remove the key), in the order keys were first seen. */
    public static <V> Map<String, V> latest(KafkaClientSettings clients, String clientId, String topic,
                                            Deserializer<V> values, Duration timeout,
                                            BiConsumer<ConsumerRecord<byte[], byte[]>, RuntimeException> onUndecodable) {
        Map<String, V> latest = new LinkedHashMap<>();
        readAll(clients, clientId, topic, values, timeout, onUndecodable, (key, value) -> {
            if (value == null) {
                latest.remove(key);
            } else {
                latest.put(key, value);
            }
        });
        return latest;
    }

    /**
     * Every committed record from the start to the current end, in each partition's order, handed over
     * with its key (a tombstone or an undecodable value as {@code null}).
     */
    public static <V> void readAll(KafkaClientSettings clients, String clientId, String topic, Deserializer<V> values,
                                   Duration timeout, BiConsumer<ConsumerRecord<byte[], byte[]>, RuntimeException> onUndecodable,
                                   BiConsumer<String, V> each) {
        Map<String, Object> props = clients.consumer("unused", clientId);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);  // assigned partitions, no group: nothing is committed
        Instant deadline = Instant.now().plus(timeout);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // with read_committed the end offsets are the last stable offsets: nothing undecided is waited for
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new TimeoutException("reading " + topic + " to its end took longer than " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() == null) {
                        continue;
                    }
                    String key = new String(record.key(), StandardCharsets.UTF_8);
                    V value = null;
                    if (record.value() != null) {
                        try {
                            value = values.deserialize(topic, record.headers(), record.value());
                        } catch (RuntimeException e) {
                            onUndecodable.accept(record, e);
                        }
                    }
                    each.accept(key, value);
                }
            }
        }
    }
}
