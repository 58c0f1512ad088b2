package org.trapline.aggregator.counts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.schema.CountWindow;
import org.trapline.schema.PopulationEstimate;
import org.trapline.schema.SiteCount;
import org.trapline.schema.SpeciesCount;

/**
 * The counting stage, keyed by site: counts each sighting once in each of its windows, per species and
 * for every species, keeps the independent events, the distinct individuals and the activity by hour up
 * to date, and publishes the windows that changed as {@link SiteCount}s every publish interval.
 *
 * <p><b>Independent events.</b> Detections of one species at one camera closer than the independence
 * interval (30 minutes by default) are one event: a detection starts an event when the one before it,
 * in capture time, is at least the interval older. Sightings may come in any order (a late SD card), so
 * the capture times of each camera and species are kept sorted and a sighting that arrives between two
 * others may make the later one part of its event, or split an event in two. An event is counted in the
 * windows and the hour of its first detection, with its MaxN, the most animals of its species on one of its
 * frames ({@link EventGroups}): a window's animals are the sum of its events' MaxN, never the boxes summed
 * over frames.
 *
 * <p><b>Distinct individuals.</b> For every window the sightings of each individual are counted; the
 * window's distinct individuals are those with at least one. When a merge moves sightings from one
 * individual to another, the first drops to none (one fewer); a split does the reverse. In a capture
 * session the same is done per occasion, giving n1, n2 and m2 for Chapman's estimate.
 *
 * <p><b>Demography.</b> When each individual was seen at the site follows its sightings through merges and
 * splits as the distinct counts do; what the gallery says of each individual (sex, age, birth) comes from
 * the individual stage. {@link Demography} reads both.
 */
final class SiteCounter implements Processor<String, Message, String, SiteCount> {

    private static final Logger log = LoggerFactory.getLogger(SiteCounter.class);
    private static final StringSerializer KEYS = new StringSerializer();

    private final Windows windows;
    private final long independenceMillis;
    private final Duration publishInterval;
    private ProcessorContext<String, SiteCount> context;
    private KeyValueStore<String, SightingView> sightings;
    private EventGroups events;
    private KeyValueStore<String, Tally> tallies;
    private KeyValueStore<String, Presence> presence;
    private KeyValueStore<String, Activity> activity;
    private KeyValueStore<String, String> pending;
    private KeyValueStore<String, String> individualTimes;
    private KeyValueStore<String, SiteProfile> profiles;

    SiteCounter(Windows windows, Duration independence, Duration publishInterval) {
        this.windows = windows;
        this.independenceMillis = independence.toMillis();
        this.publishInterval = publishInterval;
    }

    @Override
    public void init(ProcessorContext<String, SiteCount> context) {
        this.context = context;
        this.sightings = context.getStateStore(CountStores.SIGHTINGS);
        this.events = new EventGroups(context.getStateStore(CountStores.EVENT_TIMES),
                context.getStateStore(CountStores.EVENT_STARTS), context.getStateStore(CountStores.FRAME_ANIMALS),
                independenceMillis);
        this.tallies = context.getStateStore(CountStores.TALLIES);
        this.presence = context.getStateStore(CountStores.PRESENCE);
        this.activity = context.getStateStore(CountStores.ACTIVITY);
        this.pending = context.getStateStore(CountStores.PENDING);
        this.individualTimes = context.getStateStore(CountStores.SITE_INDIVIDUAL_TIMES);
        this.profiles = context.getStateStore(CountStores.SITE_PROFILES);
        context.schedule(publishInterval, PunctuationType.WALL_CLOCK_TIME, this::publish);
    }

    @Override
    public void process(Record<String, Message> record) {
        String site = record.key();
        switch (record.value()) {
            case Message.Counted counted -> count(site, counted.facts(), counted.individualId());
            case Message.Uncounted uncounted -> uncount(site, uncounted.facts());
            case Message.Reassigned reassigned -> reassign(site, reassigned);
            case Message.Profile profile -> profile(site, profile);
            default -> throw new IllegalArgumentException("the counting stage cannot take " + record.value());
        }
    }

    private void count(String site, SightingFacts f, String individualId) {
        String viewKey = CountStores.sightingKey(site, f.time(), f.sightingId());
        if (sightings.get(viewKey) != null) {
            return;
        }
        sightings.put(viewKey, new SightingView(f, individualId));
        List<Windows.Window> in = windows.of(site, f.time(), f.deploymentId());
        for (Windows.Window w : in) {
            for (String species : speciesKeys(f)) {
                tally(site, w.key(), species, Tally.ofSightings(1));
            }
        }
        int hour = windows.hourOfDay(site, f.time());
        for (String species : speciesKeys(f)) {
            activity(site, species, hour, 1, 0);
        }
        if (individualId != null) {
            presence(site, in, f.species(), individualId, 1);
            individualTimes.put(individualTime(site, individualId, f), "");
        }
        independentEvents(site, events.add(site, f));
    }

    /**
     * Takes a counted sighting back out of everything {@link #count} put it in: its windows' sightings, the
     * activity by hour, its individual's presence and times, and its event (which may split, or lose MaxN).
     */
    private void uncount(String site, SightingFacts counted) {
        String viewKey = CountStores.sightingKey(site, counted.time(), counted.sightingId());
        SightingView view = sightings.get(viewKey);
        if (view == null) {
            log.warn("sighting {} at site {} uncounted, but it is not counted: ignored", counted.sightingId(), site);
            return;
        }
        SightingFacts f = view.facts();
        List<Windows.Window> in = windows.of(site, f.time(), f.deploymentId());
        for (Windows.Window w : in) {
            for (String species : speciesKeys(f)) {
                tally(site, w.key(), species, Tally.ofSightings(-1));
            }
        }
        int hour = windows.hourOfDay(site, f.time());
        for (String species : speciesKeys(f)) {
            activity(site, species, hour, -1, 0);
        }
        if (view.individualId() != null) {
            presence(site, in, f.species(), view.individualId(), -1);
            individualTimes.delete(individualTime(site, view.individualId(), f));
        }
        // the event's first detection may be this sighting: its view is read before it goes
        independentEvents(site, events.remove(site, f, detection -> sightings.get(CountStores.sightingKey(site,
                EventGroups.timeOf(detection), EventGroups.sightingIdOf(detection))).facts().frameId()));
        sightings.delete(viewKey);
    }

    /** Counts what changed in the events, at each changed event's first detection. */
    private void independentEvents(String site, List<EventGroups.Change> changes) {
        for (EventGroups.Change change : changes) {
            SightingFacts start = sightings.get(CountStores.sightingKey(site, EventGroups.timeOf(change.startKey()),
                    EventGroups.sightingIdOf(change.startKey()))).facts();
            for (Windows.Window w : windows.of(site, start.time(), start.deploymentId())) {
                for (String species : speciesKeys(start)) {
                    tally(site, w.key(), species, Tally.ofEvents(change.events(), change.animals()));
                }
            }
            if (change.events() != 0) {
                int hour = windows.hourOfDay(site, start.time());
                for (String species : speciesKeys(start)) {
                    activity(site, species, hour, 0, change.events());
                }
            }
        }
    }

    private void reassign(String site, Message.Reassigned r) {
        String viewKey = CountStores.sightingKey(site, r.time(), r.sightingId());
        SightingView view = sightings.get(viewKey);
        if (view == null) {
            log.warn("sighting {} at site {} reassigned before it was counted: ignored", r.sightingId(), site);
            return;
        }
        if (Objects.equals(view.individualId(), r.individualId())) {
            return;
        }
        SightingFacts f = view.facts();
        List<Windows.Window> in = windows.of(site, f.time(), f.deploymentId());
        if (view.individualId() != null) {
            presence(site, in, f.species(), view.individualId(), -1);
            individualTimes.delete(individualTime(site, view.individualId(), f));
        }
        if (r.individualId() != null) {
            presence(site, in, f.species(), r.individualId(), 1);
            individualTimes.put(individualTime(site, r.individualId(), f), "");
        }
        sightings.put(viewKey, new SightingView(f, r.individualId()));
    }

    /** What the site's demography needs of an individual seen here; none once it has no sighting here. */
    private void profile(String site, Message.Profile p) {
        String key = Keys.of(site, p.individualId());
        if (p.profile() == null) {
            profiles.delete(key);
        } else {
            profiles.put(key, p.profile());
        }
    }

    private static String individualTime(String site, String individualId, SightingFacts f) {
        return Keys.of(site, individualId, Keys.time(f.time()), f.sightingId());
    }

    /** One more (or one fewer) sighting of an individual in these windows; distinct counts follow. */
    private void presence(String site, List<Windows.Window> in, String species, String individualId, int delta) {
        for (Windows.Window w : in) {
            for (String sp : List.of(Keys.ALL_SPECIES, species)) {
                String key = Keys.of(site, w.key(), sp, individualId);
                Presence before = Objects.requireNonNullElse(presence.get(key), Presence.NONE);
                Presence after = before.plus(w.occasion(), delta);
                if (after.first() <= 0 && after.second() <= 0) {
                    presence.delete(key);
                } else {
                    presence.put(key, after);
                }
                long individuals = change(before.seen(), after.seen());
                Tally change = w.isSession()
                        ? Tally.ofIndividuals(individuals, change(before.seenFirst(), after.seenFirst()),
                        change(before.seenSecond(), after.seenSecond()), change(before.seenBoth(), after.seenBoth()))
                        : Tally.ofIndividuals(individuals, 0, 0, 0);
                if (!change.equals(Tally.ZERO)) {
                    tally(site, w.key(), sp, change);
                }
            }
        }
    }

    private void tally(String site, String window, String species, Tally change) {
        String key = Keys.of(site, window, species);
        Tally after = Objects.requireNonNullElse(tallies.get(key), Tally.ZERO).plus(change);
        // a species whose sightings were all corrected away is not counted at zero: it was never seen there
        if (after.equals(Tally.ZERO)) {
            tallies.delete(key);
        } else {
            tallies.put(key, after);
        }
        if (Windows.published(window)) {
            pending.put(Keys.of(site, window), "");
        }
    }

    private void activity(String site, String species, int hour, long sightingsDelta, long eventsDelta) {
        String key = Keys.of(site, species);
        Activity after = Objects.requireNonNullElse(activity.get(key), Activity.empty()).plus(hour, sightingsDelta, eventsDelta);
        if (after.none()) {
            activity.delete(key);
        } else {
            activity.put(key, after);
        }
    }

    /** Publishes every window that changed since the last time, as it stands now. */
    private void publish(long now) {
        List<String> published = new ArrayList<>();
        try (KeyValueIterator<String, String> changed = pending.all()) {
            while (changed.hasNext()) {
                String key = changed.next().key;
                String[] parts = Keys.split(key);
                context.forward(new Record<>(parts[0] + "/" + parts[1], siteCount(parts[0], parts[1], now), now));
                published.add(key);
            }
        }
        published.forEach(pending::delete);
    }

    private SiteCount siteCount(String site, String window, long now) {
        Windows.Span span = windows.span(site, window);
        Tally total = Tally.ZERO;
        List<SpeciesCount> species = new ArrayList<>();
        List<PopulationEstimate> estimates = new ArrayList<>();
        String prefix = Keys.prefix(site, window);
        try (KeyValueIterator<String, Tally> all = tallies.prefixScan(prefix, KEYS)) {
            while (all.hasNext()) {
                KeyValue<String, Tally> entry = all.next();
                String sp = entry.key.substring(prefix.length());
                Tally t = entry.value;
                if (sp.equals(Keys.ALL_SPECIES)) {
                    total = t;
                    continue;
                }
                species.add(new SpeciesCount(sp, t.sightings(), t.events(), (int) t.individuals(), t.animals()));
                if (span.session().isPresent() && t.n1() + t.n2() > 0) {
                    Chapman c = Chapman.of(t.n1(), t.n2(), t.m2());
                    estimates.add(new PopulationEstimate(sp, "chapman", c.estimate(), c.variance(), c.lower95(), c.upper95()));
                }
            }
        }
        var trapNights = windows.trapNights(site, span, Instant.ofEpochMilli(now));
        return SiteCount.newBuilder()
                .setSiteId(site)
                .setWindowKind(CountWindow.valueOf(span.kind()))
                .setWindowStart(span.start())
                .setWindowEnd(span.end())
                .setSightings(total.sightings())
                .setIndependentEvents(total.events())
                .setAnimals(total.animals())
                .setDistinctIndividuals((int) total.individuals())
                .setTrapNights(trapNights.isPresent() ? trapNights.getAsDouble() : null)
                .setSpecies(species)
                .setEstimates(estimates)
                .setUpdatedTime(Instant.ofEpochMilli(now))
                .build();
    }

    private static List<String> speciesKeys(SightingFacts f) {
        return List.of(Keys.ALL_SPECIES, f.species());
    }

    private static long change(boolean before, boolean after) {
        return (after ? 1 : 0) - (before ? 1 : 0);
    }

}
