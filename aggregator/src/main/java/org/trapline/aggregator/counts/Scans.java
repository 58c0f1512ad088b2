package org.trapline.aggregator.counts;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Reading the aggregator's stores by key prefix (keys made by {@link Keys}). */
final class Scans {

    private Scans() {
    }

    /** The smallest key under {@code prefix} at or after {@code from}; null when there is none. */
    static String first(ReadOnlyKeyValueStore<String, ?> store, String from, String prefix) {
        try (KeyValueIterator<String, ?> found = store.range(from, Keys.endOf(prefix))) {
            return found.hasNext() ? found.next().key : null;
        }
    }

    /** The smallest key under {@code prefix}; null when there is none. */
    static String first(ReadOnlyKeyValueStore<String, ?> store, String prefix) {
        return first(store, prefix, prefix);
    }

    /** The largest key under {@code prefix}; null when there is none. */
    static String last(ReadOnlyKeyValueStore<String, ?> store, String prefix) {
        try (KeyValueIterator<String, ?> found = store.reverseRange(prefix, Keys.endOf(prefix))) {
            return found.hasNext() ? found.next().key : null;
        }
    }

    /**
     * The distinct values of the key part that follows {@code prefix}, in order: one seek each, not a read
     * of every key (the sites an individual was seen at, the individuals seen at a site).
     */
    static List<String> distinctNext(ReadOnlyKeyValueStore<String, ?> store, String prefix) {
        int part = Keys.split(prefix).length - 1;
        List<String> found = new ArrayList<>();
        String from = prefix;
        for (String key = first(store, from, prefix); key != null; key = first(store, from, prefix)) {
            String value = Keys.split(key)[part];
            found.add(value);
            from = Keys.endOf(prefix + value + Keys.SEPARATOR);
        }
        return found;
    }
}
