package org.trapline.aggregator.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.trapline.aggregator.counts.IndependentEvents;
import org.trapline.aggregator.counts.SightingFacts;
import org.trapline.aggregator.counts.SightingView;
import org.trapline.aggregator.estimate.DetectionHistory;
import org.trapline.aggregator.estimate.Occasions;
import org.trapline.aggregator.estimate.Occupancy;
import org.trapline.aggregator.estimate.RandomEncounter;
import org.trapline.aggregator.estimate.RandomEncounterSettings;
import org.trapline.aggregator.sites.SiteDirectory;
import org.trapline.catalog.Camera;
import org.trapline.catalog.Deployment;

/**
 * A species surveyed at a site as ecologists survey species they cannot tell apart: its independent events
 * at each camera (the consecutive-detection rule at {@code aggregator.independence.minutes}), the detection
 * history per camera (or the site) and occasion over the catalog's deployments, the single-season occupancy
 * model fitted to it, and its density by the random encounter model where a day range is configured
 * ({@code aggregator.rem.*}). Computed on request from the site's counted sightings, so it always reflects
 * what is counted now; the estimators themselves are in {@code estimate} (docs/estimators.md).
 */
public final class SpeciesSurveys {

    /** What one survey gives, as the API answers it. */
    public record Survey(String siteId, String species, String scientificName, String independence,
                         long independentEvents, DetectionHistory history, Occupancy occupancy, RandomEncounter density,
                         String densityNote) {
    }

    private final SiteQueries queries;
    private final SiteDirectory sites;
    private final Duration independence;
    private final RandomEncounterSettings rem;
    private final Clock clock;

    public SpeciesSurveys(SiteQueries queries, SiteDirectory sites, Duration independence, RandomEncounterSettings rem,
                          Clock clock) {
        this.queries = queries;
        this.sites = sites;
        this.independence = independence;
        this.rem = rem;
        this.clock = clock;
    }

    /**
     * The survey of {@code species} (its label or scientific name, either case) at the site over {@code [from, to)}
     * in occasions of {@code occasion}; {@code from} defaults to the site's first deployment (else its first
     * sighting), {@code to} to now. Empty when the site is unknown.
     */
    public Optional<Survey> survey(String site, int partition, String species, Instant from, Instant to, Duration occasion,
                                   DetectionHistory.Unit unit) {
        if (!queries.known(site, partition)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        List<Deployment> deployments = sites.deployments(site);
        List<SightingView> all = queries.sightings(site, partition, from, to);
        Instant start = from != null ? from : deployments.stream().map(Deployment::start).min(Comparator.naturalOrder())
                .or(() -> all.stream().map(v -> Instant.ofEpochMilli(v.facts().time())).min(Comparator.naturalOrder()))
                .orElse(now);
        Instant end = to != null ? to : now;
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("the survey must end after it starts: " + start + " to " + end);
        }

        Map<String, List<Long>> timesByCamera = new TreeMap<>();
        String scientificName = null;
        for (SightingView view : all) {
            SightingFacts f = view.facts();
            if (names(f, species) && !Instant.ofEpochMilli(f.time()).isBefore(start)) {
                timesByCamera.computeIfAbsent(f.cameraId(), c -> new ArrayList<>()).add(f.time());
                scientificName = scientificName != null ? scientificName : f.scientificName();
            }
        }
        Map<String, List<Instant>> events = new TreeMap<>();
        long eventCount = 0;
        for (Map.Entry<String, List<Long>> camera : timesByCamera.entrySet()) {
            List<Long> times = camera.getValue().stream().sorted().toList();
            List<Instant> starts = IndependentEvents.startTimes(times, independence.toMillis()).stream().map(Instant::ofEpochMilli).toList();
            events.put(camera.getKey(), starts);
            eventCount += starts.size();
        }

        Occasions occasions = new Occasions(start, end, occasion, sites.zone(site));
        DetectionHistory history = DetectionHistory.of(occasions, unit, deployments, events, now);
        Occupancy occupancy = Occupancy.fit(history);
        Optional<RandomEncounter.DayRange> dayRange = scientificName == null ? Optional.empty() : rem.dayRange(scientificName);
        RandomEncounter density = dayRange.map(v -> RandomEncounter.estimate(RandomEncounter.Station.of(history,
                row -> rem.zone(row.cameraId() == null ? null : sites.camera(row.cameraId()).map(Camera::model).orElse(null))), v))
                .orElse(null);
        String densityNote = density != null ? null : "no density: no day range configured for "
                + (scientificName == null ? "'" + species + "'" : scientificName) + " ("
                + RandomEncounterSettings.PREFIX + "species.NAME.day.range.km)";
        return Optional.of(new Survey(site, species, scientificName, independence.toString(), eventCount, history, occupancy,
                density, densityNote));
    }

    private static boolean names(SightingFacts f, String species) {
        String wanted = species.toLowerCase(Locale.ROOT);
        return f.species() != null && f.species().toLowerCase(Locale.ROOT).equals(wanted)
                || f.scientificName() != null && f.scientificName().toLowerCase(Locale.ROOT).equals(wanted);
    }
}
