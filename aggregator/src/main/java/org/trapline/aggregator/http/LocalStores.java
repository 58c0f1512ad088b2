package org.trapline.aggregator.http;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * This instance's stores as the queries read them: through interactive queries in the service, straight from a
 * {@code TopologyTestDriver} in the tests, so that a test checks the very answers the API gives.
 */
public interface LocalStores {

    /** One partition of a store (the caller has made sure this instance holds it). */
    <V> ReadOnlyKeyValueStore<String, V> partition(String name, int partition);

    /** Every partition of a store that this instance holds. */
    <V> ReadOnlyKeyValueStore<String, V> all(String name);

    static LocalStores of(KafkaStreams streams) {
        return new LocalStores() {
            @Override
            public <V> ReadOnlyKeyValueStore<String, V> partition(String name, int partition) {
                return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore())
                        .withPartition(partition));
            }

            @Override
            public <V> ReadOnlyKeyValueStore<String, V> all(String name) {
                return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
            }
        };
    }
}
