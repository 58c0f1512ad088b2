package org.trapline.aggregator.counts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trapline.aggregator.counts.CountsDriver.sighting;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.aggregator.estimate.DetectionHistory;
import org.trapline.aggregator.estimate.RandomEncounterSettings;
import org.trapline.aggregator.http.SiteQueries;
import org.trapline.aggregator.http.SpeciesSurveys;
import org.trapline.catalog.Camera;
import org.trapline.catalog.Deployment;
import org.trapline.catalog.Site;
import org.trapline.catalog.SiteCatalog;
import org.trapline.schema.BlobRef;
import org.trapline.schema.BoundingBox;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.DetectionRef;
import org.trapline.schema.MatchDecision;
import org.trapline.schema.Sighting;

/**
 * An unmarked species surveyed from what the counts topology stored: sightings go through the topology, and the
 * API's own queries ({@link SiteQueries}, {@link SpeciesSurveys}) read the driver's stores. Worked by hand; the
 * site keeps UTC, so occasions are UTC days, 1 to 7 March 2026 (o1 to o7), and every deployment has ended by "now".
 *
 * <pre>
 * camera A: 1 Mar – 3 Mar 12:00, then 5 Mar – 8 Mar         o1 o2 o3 o4 o5 o6 o7
 *   roe deer: 1 Mar 06:00 (a frame of 3) and 06:10 (of 2):    1  1  0  NA 1  0  0
 *   one event, MaxN 3; 2 Mar 23:00; 3 Mar 13:00 (between its deployments: an event, no occasion); 5 Mar 12:00
 * camera B: 2 Mar – 6 Mar                                    NA 0  0  1  0  NA NA
 *   roe deer: 4 Mar 10:00; red fox: 2 Mar 09:00 (another species: no detection of the deer)
 * the site (either camera out counts as surveyed)             1  1  0  1  1  0  0
 * </pre>
 *
 * Roe deer: 5 independent events at the 30-minute interval (A: 4, B: 1), 3 + 1 + 1 + 1 + 1 = 7 animals (each
 * event's MaxN), 9 sightings. Trap-nights: A 2.5 + 3, B 4: 9.5, so 5 · 100 / 9.5 = 52.632 events per 100.
 */
class SpeciesSurveyTopologyTest {

    static final Clock NOW = Clock.fixed(Instant.parse("2026-03-15T00:00:00Z"), ZoneOffset.UTC);

    static final SiteCatalog.Contents EAST = new SiteCatalog.Contents(
            List.of(new Site("east", "East", 51.0, 10.0, "UTC")),
            List.of(new Camera("A", "east", null, null, 0), new Camera("B", "east", null, null, 0)),
            List.of(new Deployment("a1", "A", "east", at("2026-03-01T00:00:00Z"), at("2026-03-03T12:00:00Z")),
                    new Deployment("a2", "A", "east", at("2026-03-05T00:00:00Z"), at("2026-03-08T00:00:00Z")),
                    new Deployment("b1", "B", "east", at("2026-03-02T00:00:00Z"), at("2026-03-06T00:00:00Z"))));

    @Test
    void detectionHistoriesEventsAnimalsAndTheRateFollowTheCountedSightings(@TempDir Path state) {
        try (CountsDriver counts = new CountsDriver(state, EAST, Duration.ofMinutes(30), List.of())) {
            counts.send(
                    deer("d1", "A", "f1", 0, "2026-03-01T06:00:00Z"), deer("d2", "A", "f1", 1, "2026-03-01T06:00:00Z"),
                    deer("d3", "A", "f1", 2, "2026-03-01T06:00:00Z"),
                    deer("d4", "A", "f2", 0, "2026-03-01T06:10:00Z"), deer("d5", "A", "f2", 1, "2026-03-01T06:10:00Z"),
                    deer("d6", "A", "f3", 0, "2026-03-02T23:00:00Z"), deer("d7", "A", "f4", 0, "2026-03-03T13:00:00Z"),
                    deer("d9", "A", "f6", 0, "2026-03-05T12:00:00Z"),
                    deer("d8", "B", "f5", 0, "2026-03-04T10:00:00Z"),
                    unmarked("x1", "B", "red fox", "f7", 0, "2026-03-02T09:00:00Z"));
            SpeciesSurveys surveys = counts.surveys(Duration.ofMinutes(30), RandomEncounterSettings.DEFAULTS, NOW);

            SpeciesSurveys.Survey byCamera = surveys.survey("east", 0, "roe deer", at("2026-03-01T00:00:00Z"),
                    at("2026-03-08T00:00:00Z"), Duration.ofDays(1), DetectionHistory.Unit.CAMERA).orElseThrow();
            assertEquals(5, byCamera.independentEvents());
            Map<String, DetectionHistory.Row> rows = byCamera.history().rows().stream()
                    .collect(Collectors.toMap(DetectionHistory.Row::id, Function.identity()));
            assertEquals(List.of("east__A", "east__B"), byCamera.history().rows().stream().map(DetectionHistory.Row::id).toList());
            assertEquals(Arrays.asList(1, 1, 0, null, 1, 0, 0), rows.get("east__A").history());
            assertEquals(Arrays.asList(1.0, 1.0, 0.5, null, 1.0, 1.0, 1.0), rows.get("east__A").effortDays());
            assertEquals(Arrays.asList(null, 0, 0, 1, 0, null, null), rows.get("east__B").history());

            SpeciesSurveys.Survey bySite = surveys.survey("east", 0, "roe deer", at("2026-03-01T00:00:00Z"),
                    at("2026-03-08T00:00:00Z"), Duration.ofDays(1), DetectionHistory.Unit.SITE).orElseThrow();
            assertEquals(List.of(List.of(1, 1, 0, 1, 1, 0, 0)), bySite.history().histories());

            SpeciesSurveys.Survey fox = surveys.survey("east", 0, "red fox", at("2026-03-01T00:00:00Z"),
                    at("2026-03-08T00:00:00Z"), Duration.ofDays(1), DetectionHistory.Unit.SITE).orElseThrow();
            assertEquals(List.of(List.of(0, 1, 0, 0, 0, 0, 0)), fox.history().histories());

            SiteQueries.SiteSpecies deer = counts.queries(NOW).species("east", 0).orElseThrow().stream()
                    .filter(s -> s.species().equals("roe deer")).findFirst().orElseThrow();
            assertEquals(9, deer.sightings());
            assertEquals(5, deer.independentEvents());
            assertEquals(7, deer.animals(), "the sum of the events' MaxN, not the 9 boxes");
            assertEquals(0, deer.distinctIndividuals());
            assertEquals(5 * 100 / 9.5, deer.eventsPer100TrapNights(), 1e-9);
            assertTrue(deer.unmarked());
        }
    }

    private static Sighting deer(String id, String camera, String frame, int box, String time) {
        return unmarked(id, camera, "roe deer", frame, box, time);
    }

    /** A sighting of an unmarked species (no individual, no candidates), box {@code box} of frame {@code frame}. */
    private static Sighting unmarked(String id, String camera, String species, String frame, int box, String time) {
        Sighting s = sighting(id, "east", camera, species, at(time), null);
        return Sighting.newBuilder(s).setDecision(MatchDecision.UNMARKED).setEventId("burst-" + frame)
                .setDetection(new DetectionRef(frame, box, DetectionCategory.ANIMAL, 0.9f,
                        new BoundingBox(0.1f, 0.2f, 0.3f, 0.4f), new BlobRef("fs", "sha256/ab/ab" + frame, 1000L)))
                .build();
    }

    private static Instant at(String time) {
        return Instant.parse(time);
    }
}
