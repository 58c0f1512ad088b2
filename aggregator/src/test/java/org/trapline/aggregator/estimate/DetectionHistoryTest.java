package org.trapline.aggregator.estimate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;
import org.trapline.catalog.Deployment;

/**
 * Histories computed by hand. The survey: 1–8 March 2026 UTC, seven one-day occasions o1 (1 March) to
 * o7 (7 March); "now" is 7 March 06:00.
 *
 * <pre>
 * camera A at north: 25 Feb – 3 Mar 12:00, then 5 Mar – (still out)   o1 o2 o3  o4 o5 o6 o7
 *                                                            effort    1  1  ½   NA 1  1  ¼ (until now)
 * camera B at north: 2 Mar – 6 Mar                                     NA 1  1   1  1  NA NA
 * camera C at south: 1 Mar – 8 Mar                                     1  1  1   1  1  1  1
 * camera D at west:  2025 only                                         (no row)
 * </pre>
 *
 * Detections of A: 28 Feb (before the survey), 1 Mar 23:59:59 (o1), 2 Mar 00:00:00 (on the boundary: o2),
 * 3 Mar 12:00:00 (exactly at the end of its first deployment, which is exclusive: outside), 3 Mar 13:00
 * (between deployments: outside), 7 Mar 05:00 (o7), 7 Mar 07:00 (after now: outside). Of B: 5 Mar 10:00
 * (o5). Of camera Z, never deployed: 4 Mar (outside).
 */
class DetectionHistoryTest {

    static final Instant NOW = t("2026-03-07T06:00:00Z");
    static final Occasions DAYS = Occasions.of(t("2026-03-01T00:00:00Z"), t("2026-03-08T00:00:00Z"), Duration.ofDays(1));

    static final List<Deployment> DEPLOYMENTS = List.of(
            new Deployment("d1", "A", "north", t("2026-02-25T00:00:00Z"), t("2026-03-03T12:00:00Z")),
            new Deployment("d2", "A", "north", t("2026-03-05T00:00:00Z"), null),
            new Deployment("d3", "B", "north", t("2026-03-02T00:00:00Z"), t("2026-03-06T00:00:00Z")),
            new Deployment("d4", "C", "south", t("2026-03-01T00:00:00Z"), t("2026-03-08T00:00:00Z")),
            new Deployment("d5", "D", "west", t("2025-06-01T00:00:00Z"), t("2025-07-01T00:00:00Z")));

    static final Map<String, List<Instant>> DETECTIONS = Map.of(
            "A", List.of(t("2026-02-28T10:00:00Z"), t("2026-03-01T23:59:59Z"), t("2026-03-02T00:00:00Z"),
                    t("2026-03-03T12:00:00Z"), t("2026-03-03T13:00:00Z"), t("2026-03-07T05:00:00Z"),
                    t("2026-03-07T07:00:00Z")),
            "B", List.of(t("2026-03-05T10:00:00Z")),
            "Z", List.of(t("2026-03-04T00:00:00Z")));

    @Test
    void perCameraWithGapsASplitOccasionAndTwoDeploymentsOfOneCamera() {
        DetectionHistory h = DetectionHistory.of(DAYS, DetectionHistory.Unit.CAMERA, DEPLOYMENTS, DETECTIONS, NOW);
        assertEquals(7, h.occasions());
        assertEquals(t("2026-03-07T00:00:00Z"), h.occasionStarts().get(6));
        assertEquals(List.of("north__A", "north__B", "south__C"), h.rows().stream().map(DetectionHistory.Row::id).toList());

        DetectionHistory.Row a = h.rows().get(0);
        assertEquals("north", a.siteId());
        assertEquals("A", a.cameraId());
        assertEquals(Arrays.asList(1, 1, 0, null, 0, 0, 1), a.history());
        assertEquals(Arrays.asList(1.0, 1.0, 0.5, null, 1.0, 1.0, 0.25), a.effortDays());
        assertEquals(3, a.detections());
        assertEquals(4.75, a.totalDays(), 1e-12);

        DetectionHistory.Row b = h.rows().get(1);
        assertEquals(Arrays.asList(null, 0, 0, 0, 1, null, null), b.history());
        assertEquals(Arrays.asList(null, 1.0, 1.0, 1.0, 1.0, null, null), b.effortDays());
        assertEquals(4.0, b.totalDays(), 1e-12);

        DetectionHistory.Row c = h.rows().get(2);
        assertEquals(List.of(0, 0, 0, 0, 0, 0, 0), c.history());
        assertEquals(7.0, c.totalDays(), 1e-12);

        assertEquals(4, h.outsideDeployment());
        assertEquals(1, h.outsideSurvey());
    }

    /** A site's occasion: detected if any camera detected, NA if none operated; effort in camera-days. */
    @Test
    void perSitePoolsItsCameras() {
        DetectionHistory h = DetectionHistory.of(DAYS, DetectionHistory.Unit.SITE, DEPLOYMENTS, DETECTIONS, NOW);
        assertEquals(List.of("north", "south"), h.rows().stream().map(DetectionHistory.Row::id).toList());
        DetectionHistory.Row north = h.rows().get(0);
        assertNull(north.cameraId());
        assertEquals(List.of(1, 1, 0, 0, 1, 0, 1), north.history());
        assertEquals(List.of(1.0, 2.0, 1.5, 1.0, 2.0, 1.0, 0.25), north.effortDays());
        assertEquals(4, north.detections());
        assertEquals(8.75, north.totalDays(), 1e-12);
    }

    /** camtrapR's layout: the unit's id, then o1..oN; NA for not operating; effort in the same layout. */
    @Test
    void csvAsCamtrapRWritesIt() {
        DetectionHistory h = DetectionHistory.of(DAYS, DetectionHistory.Unit.CAMERA, DEPLOYMENTS, DETECTIONS, NOW);
        assertEquals("""
                station,o1,o2,o3,o4,o5,o6,o7
                north__A,1,1,0,NA,0,0,1
                north__B,NA,0,0,0,1,NA,NA
                south__C,0,0,0,0,0,0,0
                """, h.toCsv());
        assertEquals("""
                station,o1,o2,o3,o4,o5,o6,o7
                north__A,1,1,0.5,NA,1,1,0.25
                north__B,NA,1,1,1,1,NA,NA
                south__C,1,1,1,1,1,1,1
                """, h.effortCsv());
    }

    /** Overlapping deployments of one camera (a record entered twice, a replaced card) count its time once. */
    @Test
    void overlappingDeploymentsCountOnce() {
        List<Deployment> twice = List.of(
                new Deployment("e1", "E", "east", t("2026-03-01T00:00:00Z"), t("2026-03-03T00:00:00Z")),
                new Deployment("e2", "E", "east", t("2026-03-02T12:00:00Z"), t("2026-03-04T06:00:00Z")));
        DetectionHistory h = DetectionHistory.of(DAYS, DetectionHistory.Unit.CAMERA, twice,
                Map.of("E", List.of(t("2026-03-02T18:00:00Z"))), NOW);
        DetectionHistory.Row e = h.rows().get(0);
        assertEquals(Arrays.asList(0, 1, 0, 0, null, null, null), e.history());
        assertEquals(Arrays.asList(1.0, 1.0, 1.0, 0.25, null, null, null), e.effortDays());
        assertEquals(1, e.detections());
        assertEquals(0, h.outsideDeployment());
    }

    /** Weekly occasions over 17 days: two of 7 days, the last cut at the survey's end (3 days). */
    @Test
    void theLastOccasionEndsWithTheSurvey() {
        Occasions weeks = Occasions.of(t("2026-03-01T00:00:00Z"), t("2026-03-18T00:00:00Z"), Duration.ofDays(7));
        assertEquals(3, weeks.count());
        assertEquals(List.of(t("2026-03-01T00:00:00Z"), t("2026-03-08T00:00:00Z"), t("2026-03-15T00:00:00Z"),
                t("2026-03-18T00:00:00Z")), weeks.boundaries());
        DetectionHistory h = DetectionHistory.of(weeks, DetectionHistory.Unit.CAMERA,
                List.of(new Deployment("c", "C", "south", t("2026-03-01T00:00:00Z"), null)),
                Map.of("C", List.of(t("2026-03-15T00:00:00Z"))), t("2026-04-01T00:00:00Z"));
        assertEquals(List.of(0, 0, 1), h.rows().get(0).history());
        assertEquals(List.of(7.0, 7.0, 3.0), h.rows().get(0).effortDays());
    }

    /**
     * Whole-day occasions follow the zone's calendar: in Berlin, summer time starts on 29 March 2026, so
     * that day has 23 hours and a camera out all day operates 23/24 of a day in it; occasions stay at
     * local midnight. Twelve-hour occasions are fixed durations instead.
     */
    @Test
    void dayOccasionsFollowTheLocalCalendar() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        Occasions days = new Occasions(t("2026-03-27T23:00:00Z"), t("2026-03-30T22:00:00Z"), Duration.ofDays(1), berlin);
        assertEquals(List.of(t("2026-03-27T23:00:00Z"), t("2026-03-28T23:00:00Z"), t("2026-03-29T22:00:00Z"),
                t("2026-03-30T22:00:00Z")), days.boundaries());
        DetectionHistory h = DetectionHistory.of(days, DetectionHistory.Unit.SITE,
                List.of(new Deployment("c", "C", "south", t("2026-03-01T00:00:00Z"), null)), Map.of(), t("2026-04-01T00:00:00Z"));
        assertEquals(List.of(1.0, 23.0 / 24, 1.0), h.rows().get(0).effortDays());
        assertEquals("Europe/Berlin", h.zone());
        assertEquals("PT24H", h.occasionLength());

        Occasions halves = new Occasions(t("2026-03-28T00:00:00Z"), t("2026-03-29T12:00:00Z"), Duration.ofHours(12), berlin);
        assertEquals(3, halves.count());
        assertEquals(t("2026-03-29T00:00:00Z"), halves.boundaries().get(2));
    }

    @Test
    void anOccasionStartsAtItsBoundary() {
        List<Instant> b = DAYS.boundaries();
        assertEquals(0, Occasions.indexOf(b, t("2026-03-01T00:00:00Z")));
        assertEquals(0, Occasions.indexOf(b, t("2026-03-01T23:59:59.999Z")));
        assertEquals(1, Occasions.indexOf(b, t("2026-03-02T00:00:00Z")));
        assertEquals(6, Occasions.indexOf(b, t("2026-03-07T23:59:59Z")));
        assertEquals(-1, Occasions.indexOf(b, t("2026-03-08T00:00:00Z")));
        assertEquals(-1, Occasions.indexOf(b, t("2026-02-28T23:59:59Z")));
    }

    @Test
    void badSurveysAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Occasions.of(t("2026-03-02T00:00:00Z"), t("2026-03-01T00:00:00Z"), Duration.ofDays(1)));
        assertThrows(IllegalArgumentException.class, () -> Occasions.of(t("2026-03-01T00:00:00Z"), t("2026-03-02T00:00:00Z"), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Occasions.of(t("2025-01-01T00:00:00Z"), t("2026-01-01T00:00:00Z"), Duration.ofMinutes(1)));
    }

    /** The record as the HTTP API would serve it: NA is null; the CSVs are not fields. */
    @Test
    void jsonHasNullForNa() throws Exception {
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        JsonNode tree = json.readTree(json.writeValueAsString(
                DetectionHistory.of(DAYS, DetectionHistory.Unit.CAMERA, DEPLOYMENTS, DETECTIONS, NOW)));
        assertEquals("2026-03-01T00:00:00Z", tree.get("from").asText());
        assertEquals("CAMERA", tree.get("unit").asText());
        assertEquals("[1,1,0,null,0,0,1]", tree.get("rows").get(0).get("history").toString());
        assertEquals("[1.0,1.0,0.5,null,1.0,1.0,0.25]", tree.get("rows").get(0).get("effortDays").toString());
        assertNull(tree.get("csv"));
        assertEquals(10, tree.size(), tree.toString());
    }

    /** The history feeds the occupancy model directly. */
    @Test
    void historyFeedsOccupancy() {
        Occupancy fit = Occupancy.fit(DetectionHistory.of(DAYS, DetectionHistory.Unit.CAMERA, DEPLOYMENTS, DETECTIONS, NOW));
        assertEquals(3, fit.sites());
        assertEquals(2, fit.sitesDetected());
        assertEquals(6 + 4 + 7, fit.surveys());
        assertEquals(4, fit.detections());
    }

    static Instant t(String iso) {
        return Instant.parse(iso);
    }
}
