package org.trapline.aggregator.estimate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.trapline.aggregator.estimate.RandomEncounter.DayRange;
import org.trapline.aggregator.estimate.RandomEncounter.DetectionZone;
import org.trapline.aggregator.estimate.RandomEncounter.Station;
import org.trapline.catalog.Deployment;

class RandomEncounterTest {

    static final DetectionZone ZONE = DetectionZone.known(10, 40);
    static final DayRange FOX = DayRange.known(2.5);

    /**
     * y = 45 events in t = 900 camera-days, v = 2.5 km/day, r = 10 m = 0.010 km, θ = 40° = 0.6981317 rad:
     * <pre>
     * y/t       = 0.05 per day
     * v·r·(2+θ) = 2.5 · 0.010 · 2.6981317 = 0.06745329 km²/day
     * D         = 0.05 · π / 0.06745329 = 0.05 · 46.574341 = 2.3287171 per km²
     * </pre>
     * Poisson only (one station, v, r, θ known): CV² = 1/45 = 0.0222222, se = D·√CV² = 0.3471446;
     * C = exp(1.959964·√ln(1.0222222)) = exp(1.959964·0.1482529) = 1.3371898;
     * 95% = [2.3287171/1.3371898, 2.3287171·1.3371898] = [1.7415008, 3.1139367].
     */
    @Test
    void handComputedFromTheFormula() {
        RandomEncounter rem = RandomEncounter.estimate(45, 900, FOX, ZONE);
        assertEquals(RandomEncounter.Status.ESTIMATED, rem.status());
        assertEquals(2.3287171, rem.density(), 5e-8);
        assertEquals(0.3471446, rem.standardError(), 5e-8);
        assertEquals(1.7415008, rem.lower95(), 5e-8);
        assertEquals(3.1139367, rem.upper95(), 5e-8);
        assertEquals(5.0, rem.eventsPer100CameraDays(), 1e-12);
        assertEquals(1.0, rem.dispersion());
        assertEquals(1, rem.stations());
        assertNull(rem.note());
    }

    /**
     * Three stations of 300 camera-days with 10, 20 and 15 events (y = 45, t = 900, D as above): each
     * expects μ = 15, X² = (25 + 25 + 0)/15 = 3.333333, φ = 3.333333/2 = 1.666667; CV² = φ/y = 0.0370370,
     * C = exp(1.959964·√ln 1.0370370) = 1.4532044, 95% [1.6024704, 3.3841019].
     */
    @Test
    void stationsThatDisagreeWidenTheInterval() {
        RandomEncounter rem = RandomEncounter.estimate(List.of(new Station("a", 10, 300, ZONE),
                new Station("b", 20, 300, ZONE), new Station("c", 15, 300, ZONE)), FOX);
        assertEquals(2.3287171, rem.density(), 5e-8);
        assertEquals(5.0 / 3, rem.dispersion(), 1e-12);
        assertEquals(1.6024704, rem.lower95(), 5e-8);
        assertEquals(3.3841019, rem.upper95(), 5e-8);
        assertEquals(3, rem.stations());

        // stations as alike as Poisson counts can be: φ stays 1, the pooled answer
        RandomEncounter alike = RandomEncounter.estimate(List.of(new Station("a", 15, 300, ZONE),
                new Station("b", 15, 300, ZONE), new Station("c", 15, 300, ZONE)), FOX);
        assertEquals(1.0, alike.dispersion());
        assertEquals(1.7415008, alike.lower95(), 5e-8);
    }

    /**
     * The parameters' standard errors, by the delta method as camtools' bootTRD combines them: se_v = 0.5 km,
     * se_r = 2 m, se_θ = 5°: CV² = 1/45 + (0.5/2.5)² + (2/10)² + (0.0872665/2.6981317)² = 0.0222222 + 0.04
     * + 0.04 + 0.0010461 = 0.1032683; se = D·√CV² = 0.7483422; C = 1.8486066, 95% [1.2597147, 4.3048818].
     */
    @Test
    void parameterErrorsAddByTheDeltaMethod() {
        RandomEncounter rem = RandomEncounter.estimate(45, 900, new DayRange(2.5, 0.5), new DetectionZone(10, 40, 2, 5));
        assertEquals(2.3287171, rem.density(), 5e-8);
        assertEquals(0.7483422, rem.standardError(), 5e-8);
        assertEquals(1.2597147, rem.lower95(), 5e-8);
        assertEquals(4.3048818, rem.upper95(), 5e-8);
        assertEquals(0.2, rem.cvDayRange(), 1e-12);
        assertEquals(Math.sqrt(0.04 + 0.0010461), rem.cvDetectionZone(), 1e-7);
    }

    /** The same trap rate from fewer events: 5 in 100 camera-days, D the same, CV² = 1/5, 95% [1.0084656, 5.3774003]. */
    @Test
    void fewerEventsWiderInterval() {
        RandomEncounter many = RandomEncounter.estimate(45, 900, FOX, ZONE);
        RandomEncounter few = RandomEncounter.estimate(5, 100, FOX, ZONE);
        assertEquals(many.density(), few.density(), 1e-12);
        assertEquals(1.0084656, few.lower95(), 5e-8);
        assertEquals(5.3774003, few.upper95(), 5e-8);
        double previous = 0;
        for (long y : new long[] {500, 100, 45, 20, 5, 1}) {
            RandomEncounter r = RandomEncounter.estimate(y, 20.0 * y, FOX, ZONE);
            double ratio = r.upper95() / r.lower95();
            assertTrue(ratio > previous, y + " events: " + ratio + " after " + previous);
            assertTrue(r.lower95() < r.density() && r.density() < r.upper95());
            previous = ratio;
        }
    }

    /** No event: D̂ = 0, the upper bound π·3.688879/(900·0.06745329) = 0.1908968 per km². */
    @Test
    void noEventGivesAnUpperBound() {
        RandomEncounter none = RandomEncounter.estimate(0, 900, FOX, ZONE);
        assertEquals(RandomEncounter.Status.ESTIMATED, none.status());
        assertEquals(0.0, none.density());
        assertEquals(0.0, none.lower95());
        assertEquals(0.1908968, none.upper95(), 5e-8);
        assertTrue(none.note().startsWith("no encounter"));

        RandomEncounter noEffort = RandomEncounter.estimate(List.of(new Station("a", 0, 0, ZONE)), FOX);
        assertEquals(RandomEncounter.Status.NOT_ESTIMABLE, noEffort.status());
        assertNull(noEffort.density());
        assertThrows(IllegalArgumentException.class, () -> RandomEncounter.estimate(3, 0, FOX, ZONE));
    }

    /**
     * Zones per camera model: a station of 10 m, 40° cameras (width 0.010·2.6981317 = 0.026981317 km) and one
     * of 5 m, 60° (0.005·(2+1.0471976) = 0.015235988 km), 450 camera-days each, 45 events:
     * D = π·45 / (2.5·450·(0.026981317 + 0.015235988)) = 141.37167/47.494468 = 2.9765923.
     */
    @Test
    void stationsOfDifferentModels() {
        DetectionZone small = DetectionZone.known(5, 60);
        RandomEncounter rem = RandomEncounter.estimate(List.of(new Station("a", 30, 450, ZONE),
                new Station("b", 15, 450, small)), FOX);
        assertEquals(2.9765923, rem.density(), 5e-8);
        assertEquals(0.0, rem.cvDetectionZone());
    }

    /**
     * Simulated stations with known density: encounters Poisson with mean D·v·t·r·(2+θ)/π, D = 3 per km²;
     * over 200 seeds the estimate centres on D and the interval covers it about 95% of the time.
     */
    @Test
    void recoversAKnownDensity() {
        double d = 3;
        int covered = 0;
        double sum = 0;
        int seeds = 200;
        for (int seed = 1; seed <= seeds; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            List<Station> stations = new java.util.ArrayList<>();
            for (int j = 0; j < 20; j++) {
                double days = 20 + random.nextInt(30);
                double mean = d * FOX.km() * days * ZONE.radiusKm() * (2 + ZONE.angleRad()) / Math.PI;
                stations.add(new Station("s" + j, poisson(random, mean), days, ZONE));
            }
            RandomEncounter rem = RandomEncounter.estimate(stations, FOX);
            sum += rem.density();
            if (rem.lower95() <= d && d <= rem.upper95()) {
                covered++;
            }
        }
        System.out.printf("REM simulation, D = %.1f per km², 20 stations, %d seeds: interval covers D in %d; mean D̂ %.4f%n",
                d, seeds, covered, sum / seeds);
        assertTrue(covered >= 0.90 * seeds, covered + " of " + seeds);
        assertEquals(d, sum / seeds, 0.1);
    }

    /** Stations from a history fed with events: a row's detections and camera-days. */
    @Test
    void stationsFromAHistory() {
        Occasions week = Occasions.of(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-08T00:00:00Z"), Duration.ofDays(1));
        DetectionHistory history = DetectionHistory.of(week, DetectionHistory.Unit.SITE,
                List.of(new Deployment("d", "A", "north", Instant.parse("2026-03-01T00:00:00Z"), null),
                        new Deployment("e", "B", "north", Instant.parse("2026-03-04T00:00:00Z"), null)),
                Map.of("A", List.of(Instant.parse("2026-03-02T10:00:00Z"), Instant.parse("2026-03-02T14:00:00Z"))),
                Instant.parse("2026-03-10T00:00:00Z"));
        List<Station> stations = Station.of(history, row -> ZONE);
        assertEquals(List.of(new Station("north", 2, 11, ZONE)), stations);
    }

    /** The record as the HTTP API would serve it. */
    @Test
    void jsonFields() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode rem = json.readTree(json.writeValueAsString(RandomEncounter.estimate(45, 900, FOX, ZONE)));
        List<String> names = new java.util.ArrayList<>();
        rem.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("status", "note", "density", "standardError", "lower95", "upper95", "events", "cameraDays",
                "stations", "eventsPer100CameraDays", "dayRangeKm", "dispersion", "cvEncounterRate", "cvDayRange",
                "cvDetectionZone"), names);
        assertEquals(2.3287171, rem.get("density").asDouble(), 5e-8);
    }

    private static long poisson(SplittableRandom random, double mean) {
        double l = Math.exp(-mean);
        long k = 0;
        double p = random.nextDouble();
        while (p > l) {
            k++;
            p *= random.nextDouble();
        }
        return k;
    }
}
