package org.trapline.testsupport.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a topic from its start, as a consumer group of its own, until what was read satisfies a
 * condition or the deadline passes: the one way tests wait for records, instead of sleeping. Records that do not
 * decode are passed over.
 */
public final class TopicReader {

    private TopicReader() {
    }

    /**
     * The records read, in the order read, once {@code done} holds for them (all of them so far, or only
     * those {@code wanted} keeps), or at the deadline; the caller asserts on what came.
     */
    public static <K, V> List<ConsumerRecord<K, V>> readUntil(Map<String, Object> consumerConfig, String topic,
                                                             Deserializer<K> keys, Deserializer<V> values,
                                                             Predicate<ConsumerRecord<K, V>> wanted,
                                                             Predicate<List<ConsumerRecord<K, V>>> done, Duration timeout) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<K, V>> read = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, keys, values)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(read) && System.nanoTime() < deadline) {
                try {
                    for (ConsumerRecord<K, V> record : consumer.poll(Duration.ofMillis(200))) {
                        if (wanted.test(record)) {
                            read.add(record);
                        }
                    }
                } catch (RecordDeserializationException e) {
                    // a record that does not decode (the poison a bad-input test leaves on a topic the test JVM's
                    // tests share) is nobody's wanted record: read on past it
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        }
        return read;
    }
}
