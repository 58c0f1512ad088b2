package org.trapline.deadletter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.schema.DeadLetter;
import org.trapline.topics.Topics;

/**
 * Sends a record that a service cannot process to the dead-letter topic, whole (key, value and headers
 * untouched) and with the reason, so that nothing is silently dropped and an operator can replay it.
 * Every service uses this one class: plain consumers through {@link #decode}, Kafka Streams through
 * {@link DeadLetterDeserializationHandler}, and any stage that fails on a record it could decode (a
 * corrupt image, an unknown camera) through {@link #deadLetter}.
 */
public final class DeadLetterRouter {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterRouter.class);

    private final String service;
    private final Serializer<DeadLetter> serializer;
    private final Clock clock;

    public DeadLetterRouter(String service, Serializer<DeadLetter> serializer, Clock clock) {
        this.service = service;
        this.serializer = serializer;
        this.clock = clock;
    }

    /**
     * Decodes the value of a record read as bytes. When it cannot be decoded (not Avro, unknown schema id,
     * a schema this reader cannot follow, an unexpected empty value) the record goes to the dead-letter
     * topic through {@code producer} (in the caller's transaction, when it has one) and the result is
     * empty.
     */
    public <V> Optional<V> decode(ConsumerRecord<byte[], byte[]> record, Deserializer<V> deserializer,
                                  Producer<byte[], byte[]> producer) {
        try {
            V value = deserializer.deserialize(record.topic(), record.headers(), record.value());
            if (value == null) {
                throw new IllegalArgumentException("empty value (tombstone) where a record was expected");
            }
            return Optional.of(value);
        } catch (RuntimeException e) {
            producer.send(deadLetter(record, e));
            return Optional.empty();
        }
    }

    /** The dead-letter record for a consumed record that failed with {@code error}. */
    public ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> failed, Throwable error) {
        return deadLetter(failed.topic(), failed.partition(), failed.offset(), failed.timestamp(),
                failed.key(), failed.value(), failed.headers(), error);
    }

    public ProducerRecord<byte[], byte[]> deadLetter(String topic, int partition, long offset, long timestamp,
                                                     byte[] key, byte[] value, Headers headers, Throwable error) {
        DeadLetter letter = DeadLetter.newBuilder()
                .setOriginalTopic(topic)
                .setOriginalPartition(partition)
                .setOriginalOffset(offset)
                .setOriginalTimestamp(timestamp >= 0 ? Instant.ofEpochMilli(timestamp) : null)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setHeaders(copy(headers))
                .setErrorClass(rootCause(error).getClass().getName())
                .setReason(reason(error))
                .setService(service)
                .setTime(clock.instant())
                .build();
        log.warn("{}: record {}-{}@{} sent to {}: {}", service, topic, partition, offset,
                Topics.DEAD_LETTERS.name(), letter.getReason());
        byte[] letterKey = topic.getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(Topics.DEAD_LETTERS.name(), letterKey,
                serializer.serialize(Topics.DEAD_LETTERS.name(), letter));
    }

    /** Every message of the cause chain, outermost first, so the reason reads from symptom to cause. */
    static String reason(Throwable error) {
        StringBuilder reason = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
            if (reason.indexOf(message) < 0) {
                if (!reason.isEmpty()) {
                    reason.append(": ");
                }
                reason.append(message);
            }
        }
        return reason.toString();
    }

    private static Throwable rootCause(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static Map<String, ByteBuffer> copy(Headers headers) {
        Map<String, ByteBuffer> copy = new LinkedHashMap<>();
        if (headers != null) {
            for (Header header : headers) {
                copy.put(header.key(), ByteBuffer.wrap(header.value() == null ? new byte[0] : header.value()));
            }
        }
        return copy;
    }
}
