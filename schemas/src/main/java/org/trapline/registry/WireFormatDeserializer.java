package org.trapline.registry;

import java.nio.ByteBuffer;
import java.util.Map;

import io.apicurio.registry.rest.client.models.ProblemDetails;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a value in the Confluent wire format through the registry-aware deserializer, and says
 * precisely why when it cannot: an operator looking at a dead letter must see "not in the wire format"
 * or "schema id 8329012 unknown to the registry", not the registry client's internals. A value written
 * with another registered schema (a sighting sent to {@code frames}) decodes as that schema's class, so it
 * is refused here too: otherwise the consumer would fail on it later, outside its dead-letter handling.
 */
public final class WireFormatDeserializer<V> implements Deserializer<V> {

    static final byte MAGIC_BYTE = 0;
    static final int HEADER_LENGTH = 5;

    private final Deserializer<V> delegate;
    private final Class<V> type;

    /** @param type the class every value must decode to (the topic's value class) */
    public WireFormatDeserializer(Deserializer<V> delegate, Class<V> type) {
        this.delegate = delegate;
        this.type = type;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        delegate.configure(configs, isKey);
    }

    @Override
    public V deserialize(String topic, byte[] data) {
        return deserialize(topic, null, data);
    }

    @Override
    public V deserialize(String topic, Headers headers, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length < HEADER_LENGTH || data[0] != MAGIC_BYTE) {
            throw new SerializationException(String.format(
                    "value on '%s' is not in the schema registry wire format: %d bytes starting 0x%s, expected magic "
                            + "byte 0x00 and a 4-byte schema id", topic, data.length, hex(data, 4)));
        }
        int schemaId = ByteBuffer.wrap(data, 1, 4).getInt();
        Object value;
        try {
            value = headers == null ? delegate.deserialize(topic, data) : delegate.deserialize(topic, headers, data);
        } catch (RuntimeException e) {
            ProblemDetails problem = find(e, ProblemDetails.class);
            if (problem != null) {
                throw new SerializationException(String.format("schema id %d of a value on '%s' cannot be fetched "
                        + "from the registry: HTTP %s %s (%s)", schemaId, topic, problem.getStatus(),
                        problem.getTitle(), problem.getDetail()), e);
            }
            throw new SerializationException(String.format("value on '%s' does not decode with its writer schema "
                    + "(id %d): %s", topic, schemaId, e.getMessage()), e);
        }
        if (value != null && !type.isInstance(value)) {
            String written = value instanceof GenericContainer record ? record.getSchema().getFullName() : value.getClass().getName();
            throw new SerializationException(String.format("value on '%s' is a %s (schema id %d), not a %s", topic,
                    written, schemaId, type.getName()));
        }
        return type.cast(value);
    }

    @Override
    public void close() {
        delegate.close();
    }

    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String hex(byte[] data, int max) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(max, data.length); i++) {
            hex.append(String.format("%02x", data[i]));
        }
        return hex.toString();
    }
}
