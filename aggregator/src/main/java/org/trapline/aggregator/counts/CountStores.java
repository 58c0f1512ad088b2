package org.trapline.aggregator.counts;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The aggregator's stores: their names (what interactive queries ask for), what they hold and how their
 * keys are made. Every store is persistent (RocksDB under the service's data directory) and backed by a
 * changelog topic, so a restarted or moved task gets it back exactly as committed.
 */
public final class CountStores {

    /** Frame stage, by frame: {@link FrameReview}, a frame's sightings and its corrections. */
    public static final String FRAMES = "frame-reviews";
    /** Gallery stage, by individual: {@link GalleryEntry}. */
    public static final String GALLERY = "gallery";
    /** Resolving stage, by sighting: {@link Resolution}. */
    public static final String RESOLUTIONS = "resolutions";
    /** Counting stage, by site; key {@code site, time, sightingId}: {@link SightingView}. */
    public static final String SIGHTINGS = "site-sightings";
    /** Key {@code site, camera, species, time, sightingId}: the capture times independent events are made of. */
    public static final String EVENT_TIMES = "site-event-times";
    /** Key as {@link #EVENT_TIMES}'s, of each event's first detection: the event's MaxN ({@link EventGroups}). */
    public static final String EVENT_STARTS = "site-event-starts";
    /** Key {@code site, camera, species, frame}: the animals of the species on the frame (its boxes). */
    public static final String FRAME_ANIMALS = "site-frame-animals";
    /** Key {@code site, window, species} (species "" for every species): {@link Tally} (as longs). */
    public static final String TALLIES = "site-tallies";
    /** Key {@code site, window, species, individual}: {@link Presence}. */
    public static final String PRESENCE = "site-presence";
    /** Key {@code site, species}: {@link Activity}. */
    public static final String ACTIVITY = "site-activity";
    /** Key {@code site, window}: windows changed since they were last published. */
    public static final String PENDING = "site-pending";
    /** Key {@code site, individual, time, sightingId}: when each individual was seen at the site. */
    public static final String SITE_INDIVIDUAL_TIMES = "site-individual-times";
    /** Key {@code site, individual}: {@link SiteProfile} of each individual seen at the site. */
    public static final String SITE_PROFILES = "site-profiles";

    /** The counting stage's stores, all keyed (and partitioned) by site; interactive queries about sites read them. */
    public static final String[] SITE_STORES = {SIGHTINGS, EVENT_TIMES, EVENT_STARTS, FRAME_ANIMALS, TALLIES, PRESENCE, ACTIVITY, PENDING,
            SITE_INDIVIDUAL_TIMES, SITE_PROFILES};

    /** Individual stage, by individual: {@link IndividualRecord}, the individual's latest update. */
    public static final String INDIVIDUALS = "individual-records";
    /** Individual stage; key {@code individual, site, time, sightingId}: the camera of each of its sightings. */
    public static final String INDIVIDUAL_SIGHTINGS = "individual-sightings";

    /** The individual stage's stores, keyed (and partitioned) by individual; questions about one individual read them. */
    public static final String[] INDIVIDUAL_STORES = {INDIVIDUALS, INDIVIDUAL_SIGHTINGS};

    private CountStores() {
    }

    public static String sightingKey(String site, long time, String sightingId) {
        return Keys.of(site, Keys.time(time), sightingId);
    }

    static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Class<V> type) {
        return store(name, new JsonSerde<>(type));
    }

    static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values)
                .withCachingEnabled();
    }

    static StoreBuilder<KeyValueStore<String, String>> markers(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.String())
                .withCachingEnabled();
    }

    /**
     * A store that is both deleted from and read backwards ({@code reverseRange}), which must not be cached:
     * in Kafka Streams 4.3 the iterator that merges the record cache with RocksDB skips a deleted key's
     * cache entry by the forward order even when iterating in reverse, so a reverse scan can return a key
     * deleted since the last commit (with a null value) or drop the deletion and return its old value.
     * Seen here as events whose MaxN was lost after a restart (AggregatorRestartIT), and again, once corrections
     * took detections out of {@link #EVENT_TIMES}, as events lost; without the cache the scan reads RocksDB
     * alone, which is exact. {@link #SIGHTINGS} (read backwards for the latest sightings) is one of them too.
     */
    static <V> StoreBuilder<KeyValueStore<String, V>> uncached(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values)
                .withCachingDisabled();
    }
}
