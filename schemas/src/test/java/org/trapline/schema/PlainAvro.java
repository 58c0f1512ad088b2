package org.trapline.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro's single-object encoding of the generated records, for tests of a service's decisions that do without a
 * registry: serdes that write and read it, where the service uses the registry's.
 */
public final class PlainAvro {

    private PlainAvro() {
    }

    public static <T extends SpecificRecord> Serializer<T> serializer() {
        return (topic, record) -> bytes(record);
    }

    /** Reads a record of this type; anything else is an {@link IllegalArgumentException}, as a registry serde's refusal. */
    public static <T extends SpecificRecord> Deserializer<T> deserializer(Class<T> type) {
        return (topic, bytes) -> decode(bytes, type);
    }

    public static byte[] bytes(SpecificRecord record) {
        Schema schema = record.getSchema();
        try {
            ByteBuffer buffer = new BinaryMessageEncoder<SpecificRecord>(SpecificData.getForSchema(schema), schema).encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T extends SpecificRecord> T decode(byte[] bytes, Class<T> type) {
        SpecificData data = SpecificData.getForClass(type);
        try {
            return new BinaryMessageDecoder<T>(data, data.getSchema(type)).decode(bytes);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + " in Avro's single-object encoding", e);
        }
    }
}
