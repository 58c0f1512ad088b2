package org.trapline.aggregator.http;

import java.time.Clock;
import java.util.Optional;

import org.trapline.aggregator.counts.CountStores;
import org.trapline.aggregator.counts.Profiles;

/**
 * Answers about one individual from this instance's stores, for the partition of the individual stage that
 * holds it (the caller has made sure this instance is its owner). Empty answers mean the individual is
 * unknown here.
 */
public final class IndividualQueries {

    private final LocalStores stores;
    private final Profiles profiles;
    private final Clock clock;

    public IndividualQueries(LocalStores stores, Profiles profiles, Clock clock) {
        this.stores = stores;
        this.profiles = profiles;
        this.clock = clock;
    }

    public Optional<Profiles.Profile> profile(String individualId, int partition) {
        return profiles.of(individualId, new Profiles.Stores(stores.partition(CountStores.INDIVIDUALS, partition),
                stores.partition(CountStores.INDIVIDUAL_SIGHTINGS, partition)), clock.instant());
    }
}
