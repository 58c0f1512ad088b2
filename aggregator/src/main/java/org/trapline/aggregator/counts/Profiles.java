package org.trapline.aggregator.counts;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.trapline.aggregator.sites.SiteDirectory;
import org.trapline.catalog.Site;
import org.trapline.schema.AgeClass;

/**
 * One individual's profile, read from the individual stage's stores (its latest update, and the sightings
 * that are its own now, after every merge and split): who it is, its life history with its age class
 * today, when and where it was seen, and the reference crops the identifier serves for it. The aggregator
 * shows no image itself: crops are addresses on the identifier's API ({@code /api/sightings/{id}/crop.jpg},
 * cut from the redacted frame of an animal's sighting), never a frame.
 */
public final class Profiles {

    private static final StringSerializer KEYS = new StringSerializer();

    /** The individual stage's stores, for the individual's partition. */
    public record Stores(ReadOnlyKeyValueStore<String, IndividualRecord> records, ReadOnlyKeyValueStore<String, String> sightings) {
    }

    /**
     * @param status       the gallery's: PROVISIONAL, CONFIRMED, MERGED (see {@code mergedInto}), RETIRED
     * @param lifeHistory  as recorded (null: none)
     * @param ageClassToday the recorded age class moved on to today by the species' rule
     * @param seasons      the encounter history: each configured season, seen in it or not
     */
    public record Profile(String individualId, String name, String species, String status, String mergedInto,
                          LifeHistoryView lifeHistory, AgeClass ageClassToday, LocalDate today, Encounters encounters,
                          List<SiteVisits> sites, List<SeasonEncounter> seasons, List<Crop> referenceCrops) {
    }

    /**
     * @param independentEvents its sightings at one camera closer than the independence interval are one
     * @param presumedGone      not seen for the configured time ({@code aggregator.demography.gone.after.days}) up to today
     */
    public record Encounters(Instant firstSeen, Instant lastSeen, long sightings, long independentEvents, int sites,
                             Long daysSinceLastSeen, boolean presumedGone) {
    }

    /** Where it was seen: the site with its coordinates from the catalog, and each camera (sample point) there. */
    public record SiteVisits(String siteId, String name, Double latitude, Double longitude, long sightings,
                             long independentEvents, Instant firstSeen, Instant lastSeen, List<CameraVisits> cameras) {
    }

    public record CameraVisits(String cameraId, long sightings, long independentEvents, Instant firstSeen, Instant lastSeen) {
    }

    public record SeasonEncounter(String season, Instant start, Instant end, long sightings, boolean seen) {
    }

    /** A reference crop: its sighting, and where the identifier serves it. */
    public record Crop(String sightingId, String url) {
    }

    private final SiteDirectory sites;
    private final CountSettings settings;
    private final String identifier;

    /** @param identifier the identifier's base URL ({@code aggregator.identifier.url}), which serves the crops */
    public Profiles(SiteDirectory sites, CountSettings settings, URI identifier) {
        this.sites = sites;
        this.settings = settings;
        String base = identifier.toString();
        this.identifier = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** The individual's profile as of {@code now}; empty when neither the gallery nor any sighting knows it. */
    public Optional<Profile> of(String individualId, Stores stores, Instant now) {
        IndividualRecord record = stores.records().get(individualId);
        // site → camera → capture times, in order (the keys are sorted by site, then time)
        Map<String, Map<String, List<Long>>> seen = new TreeMap<>();
        String prefix = Keys.prefix(individualId);
        try (KeyValueIterator<String, String> all = stores.sightings().prefixScan(prefix, KEYS)) {
            while (all.hasNext()) {
                KeyValue<String, String> entry = all.next();
                String[] parts = Keys.split(entry.key);
                seen.computeIfAbsent(parts[1], s -> new TreeMap<>()).computeIfAbsent(entry.value, c -> new ArrayList<>())
                        .add(Keys.time(parts[2]));
            }
        }
        if (record == null && seen.isEmpty()) {
            return Optional.empty();
        }
        long interval = settings.independence().toMillis();
        List<SiteVisits> visits = new ArrayList<>();
        List<Long> allTimes = new ArrayList<>();
        long events = 0;
        String lastSite = null;
        long last = Long.MIN_VALUE;
        for (var site : seen.entrySet()) {
            List<CameraVisits> cameras = new ArrayList<>();
            List<Long> siteTimes = new ArrayList<>();
            long siteEvents = 0;
            for (var camera : site.getValue().entrySet()) {
                List<Long> times = camera.getValue();
                long cameraEvents = IndependentEvents.count(times, interval);
                cameras.add(new CameraVisits(camera.getKey(), times.size(), cameraEvents, instant(times.get(0)),
                        instant(times.get(times.size() - 1))));
                siteEvents += cameraEvents;
                siteTimes.addAll(times);
            }
            long siteFirst = siteTimes.stream().mapToLong(Long::longValue).min().orElseThrow();
            long siteLast = siteTimes.stream().mapToLong(Long::longValue).max().orElseThrow();
            if (siteLast > last) {
                last = siteLast;
                lastSite = site.getKey();
            }
            Optional<Site> known = sites.site(site.getKey());
            visits.add(new SiteVisits(site.getKey(), known.map(Site::name).orElse(site.getKey()),
                    known.map(Site::latitude).orElse(null), known.map(Site::longitude).orElse(null), siteTimes.size(),
                    siteEvents, instant(siteFirst), instant(siteLast), cameras));
            events += siteEvents;
            allTimes.addAll(siteTimes);
        }
        Encounters encounters = encounters(allTimes, events, visits.size(), last, now);

        List<SeasonEncounter> history = new ArrayList<>();
        for (Season season : settings.demography().seasons()) {
            long inSeason = seen.entrySet().stream().filter(site -> season.appliesTo(site.getKey()))
                    .flatMap(site -> site.getValue().values().stream()).flatMap(List::stream).filter(season::contains).count();
            history.add(new SeasonEncounter(season.name(), season.start(), season.end(), inSeason, inSeason > 0));
        }

        ZoneId zone = lastSite == null ? ZoneId.of("UTC") : sites.zone(lastSite);
        LocalDate today = now.atZone(zone).toLocalDate();
        LifeHistoryView life = record == null ? null : record.life();
        String species = record == null ? null : record.species();
        List<Crop> crops = record == null ? List.of() : record.references().stream().map(this::crop).toList();
        return Optional.of(new Profile(individualId, record == null ? null : record.name(), species,
                record == null ? null : record.status(), record == null ? null : record.mergedInto(), life,
                settings.demography().ages().on(species, life, today), today, encounters, visits, history, crops));
    }

    private Encounters encounters(List<Long> times, long events, int siteCount, long last, Instant now) {
        if (times.isEmpty()) {
            return new Encounters(null, null, 0, 0, 0, null, false);
        }
        long first = times.stream().mapToLong(Long::longValue).min().orElseThrow();
        Duration unseen = Duration.between(instant(last), now);
        return new Encounters(instant(first), instant(last), times.size(), events, siteCount, unseen.toDays(),
                unseen.compareTo(settings.demography().goneAfter()) >= 0);
    }

    private Crop crop(String sightingId) {
        return new Crop(sightingId, identifier + "/api/sightings/"
                + URLEncoder.encode(sightingId, StandardCharsets.UTF_8).replace("+", "%20") + "/crop.jpg");
    }

    private static Instant instant(long millis) {
        return Instant.ofEpochMilli(millis);
    }
}
