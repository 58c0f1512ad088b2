package org.trapline.aggregator.counts;

import java.nio.ByteBuffer;
import java.util.function.Function;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The counting stage's small, hot values (tallies, presences, activity) as fixed arrays of longs: a
 * sighting updates some twenty of them, so they are written as plain big-endian numbers rather than JSON.
 */
final class LongsSerde<T> implements Serde<T> {

    static final LongsSerde<Tally> TALLY = new LongsSerde<>(7,
            t -> new long[] {t.sightings(), t.events(), t.animals(), t.individuals(), t.n1(), t.n2(), t.m2()},
            v -> new Tally(v[0], v[1], v[2], v[3], v[4], v[5], v[6]));
    static final LongsSerde<Presence> PRESENCE = new LongsSerde<>(2, p -> new long[] {p.first(), p.second()},
            v -> new Presence(v[0], v[1]));
    static final LongsSerde<Activity> ACTIVITY = new LongsSerde<>(48, a -> {
        long[] v = new long[48];
        System.arraycopy(a.sightings(), 0, v, 0, 24);
        System.arraycopy(a.events(), 0, v, 24, 24);
        return v;
    }, v -> new Activity(java.util.Arrays.copyOfRange(v, 0, 24), java.util.Arrays.copyOfRange(v, 24, 48)));

    private final int size;
    private final Function<T, long[]> write;
    private final Function<long[], T> read;

    private LongsSerde(int size, Function<T, long[]> write, Function<long[], T> read) {
        this.size = size;
        this.write = write;
        this.read = read;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.allocate(size * Long.BYTES);
            for (long v : write.apply(value)) {
                buffer.putLong(v);
            }
            return buffer.array();
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length != size * Long.BYTES) {
                throw new SerializationException("expected " + size + " longs, got " + bytes.length + " bytes");
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            long[] values = new long[size];
            for (int i = 0; i < size; i++) {
                values[i] = buffer.getLong();
            }
            return read.apply(values);
        };
    }
}
