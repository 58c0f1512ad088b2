package org.trapline.aggregator.counts;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.trapline.aggregator.estimate.RandomEncounterSettings;
import org.trapline.aggregator.http.LocalStores;
import org.trapline.aggregator.http.SiteQueries;
import org.trapline.aggregator.http.SpeciesSurveys;
import org.trapline.aggregator.sites.SiteDirectory;
import org.trapline.catalog.SiteCatalog;
import org.trapline.schema.BlobRef;
import org.trapline.schema.BoundingBox;
import org.trapline.schema.Correction;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.DetectionRef;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.IndividualChange;
import org.trapline.schema.IndividualStatus;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.MatchDecision;
import org.trapline.schema.Sighting;
import org.trapline.schema.SiteCount;
import org.trapline.topics.Topics;

/** The counts topology in a {@link TopologyTestDriver}, with helpers to feed it and read its stores. */
final class CountsDriver implements AutoCloseable {

    /** Where the identifier's API is, for reference crops' addresses. */
    static final URI IDENTIFIER = URI.create("http://identifier.test:8084/");

    /** The driver's wall clock starts here: "now" for deployments still out. */
    static final Instant NOW = Instant.parse("2026-03-15T00:00:00Z");

    private final TopologyTestDriver driver;
    private final TestInputTopic<String, Sighting> sightings;
    private final TestInputTopic<String, IndividualUpdate> individuals;
    private final TestInputTopic<String, Correction> corrections;
    private final TestInputTopic<String, FrameDetections> detections;
    private final TestOutputTopic<String, SiteCount> siteCounts;
    private final Map<String, SiteCount> latest = new HashMap<>();
    private final Demography demography;
    private final Profiles profiles;
    private final SiteDirectory sites;
    private final Windows windows;

    CountsDriver(Path stateDir, SiteCatalog.Contents catalog, Duration independence, List<CaptureSession> sessions) {
        this(stateDir, catalog, settings(independence, sessions, DemographySettings.NONE));
    }

    CountsDriver(Path stateDir, SiteCatalog.Contents catalog, CountSettings settings) {
        sites = SiteDirectory.of(catalog);
        windows = new Windows(sites, settings.sessions(), settings.demography().seasons());
        var topology = CountsTopology.build(settings, windows,
                AvroSerde.of(Sighting.class), AvroSerde.of(IndividualUpdate.class), AvroSerde.of(FrameDetections.class),
                AvroSerde.of(Correction.class),
                AvroSerde.of(SiteCount.class));
        demography = new Demography(settings.demography(), sites::zone);
        profiles = new Profiles(sites, settings, IDENTIFIER);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test-aggregator");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(topology, props, NOW);
        sightings = driver.createInputTopic(Topics.SIGHTINGS.name(), Serdes.String().serializer(),
                AvroSerde.of(Sighting.class).serializer());
        individuals = driver.createInputTopic(Topics.INDIVIDUALS.name(), Serdes.String().serializer(),
                AvroSerde.of(IndividualUpdate.class).serializer());
        detections = driver.createInputTopic(Topics.DETECTIONS.name(), Serdes.String().serializer(),
                AvroSerde.of(FrameDetections.class).serializer());
        corrections = driver.createInputTopic(Topics.CORRECTIONS.name(), Serdes.String().serializer(),
                AvroSerde.of(Correction.class).serializer());
        siteCounts = driver.createOutputTopic(Topics.SITE_COUNTS.name(), Serdes.String().deserializer(),
                AvroSerde.of(SiteCount.class).deserializer());
    }

    CountsDriver(Path stateDir) {
        this(stateDir, new SiteCatalog.Contents(List.of(), List.of(), List.of()), Duration.ofMinutes(30), List.of());
    }

    static CountSettings settings(Duration independence, List<CaptureSession> sessions, DemographySettings demography) {
        return new CountSettings(independence, Duration.ofSeconds(1), 6, "test-aggregator-gallery", sessions, demography);
    }

    static Sighting sighting(String id, String site, String camera, String species, Instant time, String individual) {
        return Sighting.newBuilder()
                .setSightingId(id)
                .setSiteId(site)
                .setCameraId(camera)
                .setDeploymentId(null)
                .setTime(time)
                .setSpeciesLabel(species)
                .setIndividualId(individual)
                .setDecision(individual == null ? MatchDecision.REVIEW : MatchDecision.MATCHED)
                .setEventId("burst-" + id)
                .setDetection(new DetectionRef("frame-" + id, 0, DetectionCategory.ANIMAL, 0.9f,
                        new BoundingBox(0.1f, 0.2f, 0.3f, 0.4f), new BlobRef("fs", "sha256/ab/ab" + id, 1000L)))
                .build();
    }

    static IndividualUpdate individual(String id, IndividualStatus status, String mergedInto, Instant time,
                                       String... sightingIds) {
        return IndividualUpdate.newBuilder()
                .setIndividualId(id)
                .setChange(status == IndividualStatus.MERGED ? IndividualChange.MERGED : IndividualChange.UPDATED)
                .setStatus(status)
                .setTime(time)
                .setSpecies("leopard")
                .setMergedInto(mergedInto)
                .setSightingIds(Arrays.asList(sightingIds))
                .build();
    }

    void send(Sighting... all) {
        for (Sighting s : all) {
            sightings.pipeInput(s.getSiteId(), s);
        }
    }

    void send(IndividualUpdate... all) {
        for (IndividualUpdate u : all) {
            individuals.pipeInput(u.getIndividualId(), u);
        }
    }

    void send(FrameDetections... all) {
        for (FrameDetections d : all) {
            detections.pipeInput(d.getCameraId(), d);
        }
    }

    /** The workbench's queries over the driver's stores; names are checked against {@code taxonomy}. */
    org.trapline.aggregator.review.ReviewQueue reviewQueue(org.trapline.aggregator.review.ReviewTaxonomy taxonomy, double auditShare,
                                                           int auditMinPerDay) {
        return new org.trapline.aggregator.review.ReviewQueue(stores(), sites::zone, taxonomy, auditShare, auditMinPerDay);
    }

    /** A frame's review as the frame stage holds it (what the workbench reads), or null. */
    FrameReview frame(String frameId) {
        KeyValueStore<String, FrameReview> store = driver.getKeyValueStore(CountStores.FRAMES);
        return store.get(frameId);
    }

    void send(Correction... all) {
        for (Correction c : all) {
            corrections.pipeInput(c.getFrameId(), c);
        }
    }

    void delete(String individualId) {
        individuals.pipeInput(individualId, null);
    }

    Tally tally(String site, String window, String species) {
        KeyValueStore<String, Tally> store = driver.getKeyValueStore(CountStores.TALLIES);
        Tally t = store.get(Keys.of(site, window, species));
        return t == null ? Tally.ZERO : t;
    }

    Tally total(String site, String window) {
        return tally(site, window, Keys.ALL_SPECIES);
    }

    Activity activity(String site, String species) {
        KeyValueStore<String, Activity> store = driver.getKeyValueStore(CountStores.ACTIVITY);
        return store.get(Keys.of(site, species));
    }

    /**
     * Every count the stores hold that is not zero, as text by store and key: the tallies of every window
     * and species, the activity by hour, each event's MaxN. Two drivers that counted the same sightings hold
     * the same, whichever way they got there.
     */
    Map<String, String> counted() {
        Map<String, String> all = new java.util.TreeMap<>();
        try (var it = driver.<String, Tally>getKeyValueStore(CountStores.TALLIES).all()) {
            it.forEachRemaining(kv -> {
                if (!kv.value.equals(Tally.ZERO)) {
                    all.put("tally " + kv.key, kv.value.toString());
                }
            });
        }
        try (var it = driver.<String, Activity>getKeyValueStore(CountStores.ACTIVITY).all()) {
            it.forEachRemaining(kv -> {
                if (Arrays.stream(kv.value.sightings()).anyMatch(n -> n != 0) || Arrays.stream(kv.value.events()).anyMatch(n -> n != 0)) {
                    all.put("activity " + kv.key, Arrays.toString(kv.value.sightings()) + Arrays.toString(kv.value.events()));
                }
            });
        }
        try (var it = driver.<String, Long>getKeyValueStore(CountStores.EVENT_STARTS).all()) {
            it.forEachRemaining(kv -> all.put("event " + kv.key, kv.value.toString()));
        }
        return all;
    }

    /** A counted sighting as the counts hold it now, or null when it is not counted. */
    SightingView view(String site, String sightingId, Instant time) {
        KeyValueStore<String, SightingView> store = driver.getKeyValueStore(CountStores.SIGHTINGS);
        return store.get(CountStores.sightingKey(site, time.toEpochMilli(), sightingId));
    }

    /** The individual a counted sighting belongs to now. */
    String individualOf(String site, Sighting s) {
        KeyValueStore<String, SightingView> store = driver.getKeyValueStore(CountStores.SIGHTINGS);
        SightingView view = store.get(CountStores.sightingKey(site, s.getTime().toEpochMilli(), s.getSightingId()));
        if (view == null) {
            throw new AssertionError("sighting " + s.getSightingId() + " not counted");
        }
        return view.individualId();
    }

    /** A site's demography in a season, as the API reads it from the stores. */
    Demography.SeasonDemography demography(String site, String season) {
        return demography.of(site, demography.settings().season(season).orElseThrow(), demographyStores());
    }

    Demography.ReturnRate returnRate(String site, String from, String to) {
        DemographySettings settings = demography.settings();
        return demography.returnRate(site, settings.season(from).orElseThrow(), settings.season(to).orElseThrow(),
                demographyStores());
    }

    private Demography.Stores demographyStores() {
        return new Demography.Stores(driver.getKeyValueStore(CountStores.SITE_INDIVIDUAL_TIMES),
                driver.getKeyValueStore(CountStores.SITE_PROFILES), driver.getKeyValueStore(CountStores.SIGHTINGS));
    }

    /** An individual's profile as of {@code now}, as the API reads it from the stores. */
    Optional<Profiles.Profile> profile(String individualId, Instant now) {
        return profiles.of(individualId, new Profiles.Stores(driver.getKeyValueStore(CountStores.INDIVIDUALS),
                driver.getKeyValueStore(CountStores.INDIVIDUAL_SIGHTINGS)), now);
    }

    /** The driver's stores as the API's queries read them. */
    LocalStores stores() {
        return new LocalStores() {
            @Override
            public <V> ReadOnlyKeyValueStore<String, V> partition(String name, int partition) {
                return driver.getKeyValueStore(name);
            }

            @Override
            public <V> ReadOnlyKeyValueStore<String, V> all(String name) {
                return driver.getKeyValueStore(name);
            }
        };
    }

    /** The API's site queries over the driver's stores, "now" being {@code clock}'s. */
    SiteQueries queries(Clock clock) {
        return new SiteQueries(stores(), windows, sites, demography, clock);
    }

    /** The API's surveys of unmarked species over the driver's stores. */
    SpeciesSurveys surveys(Duration independence, RandomEncounterSettings rem, Clock clock) {
        return new SpeciesSurveys(queries(clock), sites, independence, rem, clock);
    }

    /** Lets the publish interval pass and returns the latest count of every window published so far. */
    Map<String, SiteCount> published() {
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        siteCounts.readKeyValuesToList().forEach(kv -> latest.put(kv.key, kv.value));
        return latest;
    }

    /** What was published since the last call, in order. */
    List<String> publishedKeys() {
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        List<String> keys = new ArrayList<>();
        siteCounts.readKeyValuesToList().forEach(kv -> {
            latest.put(kv.key, kv.value);
            keys.add(kv.key);
        });
        return keys;
    }

    @Override
    public void close() {
        driver.close();
    }
}
