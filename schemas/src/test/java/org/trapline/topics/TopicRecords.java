package org.trapline.topics;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;

/** Writing one record to a Trapline topic and reading exactly that record back, for integration tests. */
public final class TopicRecords {

    private TopicRecords() {
    }

    /** Sends one record through the topic's serdes and waits for the broker's acknowledgement. */
    public static <V extends SpecificRecord> RecordMetadata send(TraplineConfig config, Topic<String, V> topic,
                                                                 String key, V value) throws Exception {
        try (var producer = new KafkaProducer<>(new KafkaClientSettings(config).producer("test-writer", null),
                topic.keySerde().serializer(), topic.valueSerde(config).serializer())) {
            return producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
        }
    }

    /** The value of the record at {@code where}, read with {@code deserializer}; fails after 30 s. */
    public static <T> T readAt(TraplineConfig config, RecordMetadata where, Deserializer<T> deserializer) {
        var settings = new KafkaClientSettings(config).consumer("test-reader-" + UUID.randomUUID(), "test-reader");
        try (var consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), deserializer)) {
            TopicPartition partition = new TopicPartition(where.topic(), where.partition());
            consumer.assign(List.of(partition));
            consumer.seek(partition, where.offset());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    return record.value();
                }
            }
        }
        throw new AssertionError("no record at " + where + " within 30 s");
    }
}
