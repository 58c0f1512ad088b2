package org.trapline.aggregator.http;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.trapline.aggregator.counts.Activity;
import org.trapline.aggregator.counts.CaptureSession;
import org.trapline.aggregator.counts.Chapman;
import org.trapline.aggregator.counts.CountStores;
import org.trapline.aggregator.counts.Demography;
import org.trapline.aggregator.counts.Keys;
import org.trapline.aggregator.counts.Presence;
import org.trapline.aggregator.counts.Season;
import org.trapline.aggregator.counts.SightingFacts;
import org.trapline.aggregator.counts.SightingView;
import org.trapline.aggregator.counts.SiteProfile;
import org.trapline.aggregator.counts.Tally;
import org.trapline.aggregator.counts.Windows;
import org.trapline.aggregator.sites.SiteDirectory;
import org.trapline.catalog.Site;
import org.trapline.schema.MatchDecision;

/**
 * Answers about one site from this instance's stores, for the partition that holds the site (the caller
 * has made sure this instance is its owner). Empty answers mean the site is unknown here.
 */
public final class SiteQueries {

    private static final StringSerializer KEYS = new StringSerializer();

    /**
     * One window's counts at a site, with its effort and detection rates.
     *
     * @param animals the animals of the events that start in the window, each event counted as its MaxN (the
     *                most animals of its species on one of its frames): the count for animals that cannot be
     *                told apart, where sightings would count one animal once per frame
     */
    public record WindowCounts(String siteId, String siteName, String window, String windowKind, Instant windowStart,
                               Instant windowEnd, long sightings, long independentEvents, long animals,
                               long distinctIndividuals, Double trapNights, Double eventsPer100TrapNights,
                               List<SpeciesCounts> species) {
    }

    public record SpeciesCounts(String species, long sightings, long independentEvents, long animals,
                                long distinctIndividuals, Double eventsPer100TrapNights) {
    }

    public record DayCounts(String day, long sightings, long independentEvents, long animals, long distinctIndividuals) {
    }

    /**
     * A species counted at a site, all time, with the scientific name its latest sighting there carries
     * (null: a label the detector gave to an animal no classifier named).
     *
     * @param unmarked whether its latest sighting here is of a species whose animals cannot be told apart
     *                 ({@code UNMARKED}): counted by events, MaxN and occupancy, never by individuals
     */
    public record SiteSpecies(String species, String scientificName, long sightings, long independentEvents, long animals,
                              long distinctIndividuals, Double eventsPer100TrapNights, boolean unmarked) {
    }

    /** Sightings and independent events by hour of the day (the site's time), 0 to 23. */
    public record HourlyActivity(String siteId, String species, long[] sightings, long[] independentEvents) {
    }

    public record IndividualSightings(String individualId, long sightings) {
    }

    public record Individuals(String siteId, String window, String species, long distinctIndividuals,
                              List<IndividualSightings> individuals) {
    }

    public record Estimate(String session, String species, Instant occasion1Start, Instant occasion1End,
                           Instant occasion2Start, Instant occasion2End, long n1, long n2, long m2, long seen,
                           String method, double estimate, double variance, double lower95, double upper95) {
    }

    /** A recent sighting as the dashboard shows it: what, where, when, who; never an image. */
    public record RecentSighting(String sightingId, Instant time, String cameraId, String deploymentId, String species,
                                 String scientificName, String individualId, String decision, String eventId) {
    }

    private final LocalStores stores;
    private final Windows windows;
    private final SiteDirectory sites;
    private final Demography demography;
    private final Clock clock;

    public SiteQueries(LocalStores stores, Windows windows, SiteDirectory sites, Demography demography, Clock clock) {
        this.stores = stores;
        this.windows = windows;
        this.sites = sites;
        this.demography = demography;
        this.clock = clock;
    }

    /** Whether the site is known: named by the catalog, or counted here. */
    public boolean known(String site, int partition) {
        return sites.site(site).isPresent()
                || this.<Tally>store(CountStores.TALLIES, partition).get(Keys.of(site, Windows.ALL, Keys.ALL_SPECIES)) != null;
    }

    public Optional<WindowCounts> counts(String site, int partition, String window) {
        if (!known(site, partition)) {
            return Optional.empty();
        }
        Windows.Span span = windows.span(site, window);
        OptionalDouble effort = windows.trapNights(site, span, clock.instant());
        Double trapNights = effort.isPresent() ? effort.getAsDouble() : null;
        Tally total = Tally.ZERO;
        List<SpeciesCounts> species = new ArrayList<>();
        String prefix = Keys.prefix(site, span.key());
        try (KeyValueIterator<String, Tally> all = this.<Tally>store(CountStores.TALLIES, partition).prefixScan(prefix, KEYS)) {
            while (all.hasNext()) {
                KeyValue<String, Tally> entry = all.next();
                String sp = entry.key.substring(prefix.length());
                if (sp.equals(Keys.ALL_SPECIES)) {
                    total = entry.value;
                } else {
                    species.add(new SpeciesCounts(sp, entry.value.sightings(), entry.value.events(), entry.value.animals(),
                            entry.value.individuals(), rate(entry.value.events(), trapNights)));
                }
            }
        }
        return Optional.of(new WindowCounts(site, sites.site(site).map(Site::name).orElse(site), span.key(),
                span.kind(), span.start(), span.end(), total.sightings(), total.events(), total.animals(), total.individuals(),
                trapNights, rate(total.events(), trapNights), species));
    }

    /** Counts per day (the site's days), from and to inclusive (ISO dates; either open when null). */
    public Optional<List<DayCounts>> days(String site, int partition, String from, String to) {
        if (!known(site, partition)) {
            return Optional.empty();
        }
        String dayPrefix = Keys.prefix(site) + "day/";
        String start = dayPrefix + (from == null ? "" : from);
        String end = dayPrefix + (to == null ? "\uffff" : to + "\u0001");
        List<DayCounts> days = new ArrayList<>();
        try (KeyValueIterator<String, Tally> all = this.<Tally>store(CountStores.TALLIES, partition).range(start, end)) {
            while (all.hasNext()) {
                KeyValue<String, Tally> entry = all.next();
                String[] parts = Keys.split(entry.key);
                if (parts.length == 3 && parts[2].equals(Keys.ALL_SPECIES)) {
                    days.add(new DayCounts(parts[1].substring("day/".length()), entry.value.sightings(), entry.value.events(),
                            entry.value.animals(), entry.value.individuals()));
                }
            }
        }
        return Optional.of(days);
    }

    public Optional<HourlyActivity> activity(String site, int partition, String species) {
        if (!known(site, partition)) {
            return Optional.empty();
        }
        String sp = species == null ? Keys.ALL_SPECIES : species;
        Activity activity = this.<Activity>store(CountStores.ACTIVITY, partition).get(Keys.of(site, sp));
        if (activity == null) {
            activity = Activity.empty();
        }
        return Optional.of(new HourlyActivity(site, species, activity.sightings(), activity.events()));
    }

    public Optional<Individuals> individuals(String site, int partition, String window, String species) {
        if (!known(site, partition)) {
            return Optional.empty();
        }
        String key = windows.span(site, window).key();
        String prefix = Keys.prefix(site, key, species == null ? Keys.ALL_SPECIES : species);
        List<IndividualSightings> individuals = new ArrayList<>();
        try (KeyValueIterator<String, Presence> all = this.<Presence>store(CountStores.PRESENCE, partition).prefixScan(prefix, KEYS)) {
            while (all.hasNext()) {
                KeyValue<String, Presence> entry = all.next();
                String id = entry.key.substring(prefix.length());
                if (!id.contains(String.valueOf('\u0000'))) {
                    individuals.add(new IndividualSightings(id, entry.value.first() + entry.value.second()));
                }
            }
        }
        return Optional.of(new Individuals(site, key, species, individuals.size(), individuals));
    }

    /** Chapman's estimate for each species in each capture session that covers the site. */
    public Optional<List<Estimate>> estimates(String site, int partition) {
        if (!known(site, partition)) {
            return Optional.empty();
        }
        List<Estimate> estimates = new ArrayList<>();
        for (CaptureSession session : windows.sessions()) {
            if (!session.appliesTo(site)) {
                continue;
            }
            String prefix = Keys.prefix(site, "session/" + session.name());
            try (KeyValueIterator<String, Tally> all = this.<Tally>store(CountStores.TALLIES, partition).prefixScan(prefix, KEYS)) {
                while (all.hasNext()) {
                    KeyValue<String, Tally> entry = all.next();
                    String sp = entry.key.substring(prefix.length());
                    Tally t = entry.value;
                    if (sp.equals(Keys.ALL_SPECIES) || t.n1() + t.n2() == 0) {
                        continue;
                    }
                    Chapman c = Chapman.of(t.n1(), t.n2(), t.m2());
                    estimates.add(new Estimate(session.name(), sp, session.start1(), session.end1(), session.start2(),
                            session.end2(), t.n1(), t.n2(), t.m2(), c.seen(), "chapman", c.estimate(), c.variance(),
                            c.lower95(), c.upper95()));
                }
            }
        }
        return Optional.of(estimates);
    }

    /** The site's demography in a season (see {@link Demography}). */
    public Optional<Demography.SeasonDemography> demography(String site, int partition, Season season) {
        if (!known(site, partition)) {
            return Optional.empty();
        }
        return Optional.of(demography.of(site, season, demographyStores(partition)));
    }

    /** The share of a season's individuals at the site seen there again in a later season. */
    public Optional<Demography.ReturnRate> returnRate(String site, int partition, Season first, Season second) {
        if (!known(site, partition)) {
            return Optional.empty();
        }
        return Optional.of(demography.returnRate(site, first, second, demographyStores(partition)));
    }

    /** What the site knows of an individual seen there (see {@link SiteProfile}); empty when it was not seen there. */
    public Optional<SiteProfile> profile(String site, int partition, String individualId) {
        return Optional.ofNullable(this.<SiteProfile>store(CountStores.SITE_PROFILES, partition).get(Keys.of(site, individualId)));
    }

    private Demography.Stores demographyStores(int partition) {
        return new Demography.Stores(store(CountStores.SITE_INDIVIDUAL_TIMES, partition), store(CountStores.SITE_PROFILES, partition),
                store(CountStores.SIGHTINGS, partition));
    }

    /**
     * The species counted at the site, all time, each with its scientific name. Counts are kept by the
     * species' label alone, so the name is read from the sightings, newest first, until every label has
     * been met: usually a short scan, the whole site's only when a label was last seen long ago.
     */
    public Optional<List<SiteSpecies>> species(String site, int partition) {
        Optional<WindowCounts> counts = counts(site, partition, Windows.ALL);
        if (counts.isEmpty()) {
            return Optional.empty();
        }
        // the latest sighting of each species the identifier decided (whether it is a marked species is the
        // identifier's to say), and failing that the latest a reviewer made (on a frame called empty)
        Map<String, SightingFacts> latest = new HashMap<>();
        Map<String, SightingFacts> reviewerMade = new HashMap<>();
        Set<String> unmet = new HashSet<>(counts.get().species().stream().map(SpeciesCounts::species).toList());
        String prefix = Keys.prefix(site);
        try (KeyValueIterator<String, SightingView> all = this.<SightingView>store(CountStores.SIGHTINGS, partition)
                .reverseRange(prefix, Keys.endOf(prefix))) {
            while (all.hasNext() && !unmet.isEmpty()) {
                SightingFacts f = all.next().value.facts();
                if (f.reviewerMade()) {
                    reviewerMade.putIfAbsent(f.species(), f);
                } else if (unmet.remove(f.species())) {
                    latest.put(f.species(), f);
                }
            }
        }
        return Optional.of(counts.get().species().stream().map(s -> {
            SightingFacts f = latest.get(s.species());
            SightingFacts named = f != null ? f : reviewerMade.get(s.species());
            // a species only reviewers have seen has no individuals: it is counted as the unmarked are, by events
            boolean unmarked = f == null ? named != null : MatchDecision.UNMARKED.name().equals(f.decision());
            return new SiteSpecies(s.species(), named == null ? null : named.scientificName(), s.sightings(), s.independentEvents(),
                    s.animals(), s.distinctIndividuals(), s.eventsPer100TrapNights(), unmarked);
        }).toList());
    }

    /** The latest sightings by capture time, newest first. */
    public Optional<List<RecentSighting>> recent(String site, int partition, int limit) {
        if (!known(site, partition)) {
            return Optional.empty();
        }
        List<RecentSighting> recent = new ArrayList<>();
        String prefix = Keys.prefix(site);
        try (KeyValueIterator<String, SightingView> all = this.<SightingView>store(CountStores.SIGHTINGS, partition)
                .reverseRange(prefix, Keys.endOf(prefix))) {
            while (all.hasNext() && recent.size() < limit) {
                SightingView view = all.next().value;
                var f = view.facts();
                recent.add(new RecentSighting(f.sightingId(), Instant.ofEpochMilli(f.time()), f.cameraId(), f.deploymentId(),
                        f.species(), f.scientificName(), view.individualId(), f.decision(), f.eventId()));
            }
        }
        return Optional.of(recent);
    }

    /** The site's counted sightings captured in {@code [from, to)}, oldest first (for exports). */
    public List<SightingView> sightings(String site, int partition, Instant from, Instant to) {
        String prefix = Keys.prefix(site);
        String start = from == null ? prefix : prefix + Keys.time(from.toEpochMilli());
        String end = to == null ? Keys.endOf(prefix) : prefix + Keys.time(to.toEpochMilli());
        List<SightingView> found = new ArrayList<>();
        try (KeyValueIterator<String, SightingView> all = this.<SightingView>store(CountStores.SIGHTINGS, partition).range(start, end)) {
            while (all.hasNext()) {
                KeyValue<String, SightingView> entry = all.next();
                if (to == null || entry.value.facts().time() < to.toEpochMilli()) {
                    found.add(entry.value);
                }
            }
        }
        return found;
    }

    /** Sites with counts in this instance's stores. */
    public Set<String> localSites() {
        Set<String> found = new TreeSet<>();
        ReadOnlyKeyValueStore<String, Activity> activity = stores.all(CountStores.ACTIVITY);
        try (KeyValueIterator<String, Activity> all = activity.all()) {
            while (all.hasNext()) {
                found.add(Keys.split(all.next().key)[0]);
            }
        }
        return found;
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name, int partition) {
        return stores.partition(name, partition);
    }

    private static Double rate(long events, Double trapNights) {
        return trapNights == null || trapNights <= 0 ? null : events * 100.0 / trapNights;
    }
}
