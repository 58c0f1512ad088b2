package org.trapline.aggregator.counts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.trapline.aggregator.counts.CountsDriver.individual;
import static org.trapline.aggregator.counts.CountsDriver.sighting;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.catalog.Camera;
import org.trapline.catalog.Deployment;
import org.trapline.catalog.Site;
import org.trapline.catalog.SiteCatalog;
import org.trapline.schema.CountWindow;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.IndividualStatus;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.PopulationEstimate;
import org.trapline.schema.Sighting;
import org.trapline.schema.SiteCount;
import org.trapline.schema.SpeciesCount;

/** Every count of the topology against values worked out by hand, in the comments. */
class CountsTopologyTest {

    static final SiteCatalog.Contents NORTH_IN_JOHANNESBURG = new SiteCatalog.Contents(
            List.of(new Site("north", "North", -24.0, 31.5, "Africa/Johannesburg")), List.of(), List.of());

    static Instant at(String instant) {
        return Instant.parse(instant);
    }

    @Test
    void sightingsAreCountedOncePerSiteSpeciesAndLocalDay(@TempDir Path state) {
        try (CountsDriver counts = new CountsDriver(state, NORTH_IN_JOHANNESBURG, Duration.ofMinutes(30), List.of())) {
            Sighting s1 = sighting("s1", "north", "cam1", "leopard", at("2026-03-14T05:00:00Z"), null);
            // 23:30 UTC is 01:30 the next day in Johannesburg (UTC+2): the site's own day counts
            Sighting s2 = sighting("s2", "north", "cam1", "leopard", at("2026-03-14T23:30:00Z"), null);
            Sighting s3 = sighting("s3", "north", "cam2", "impala", at("2026-03-14T10:00:00Z"), null);
            // a site the catalog does not know keeps UTC days
            Sighting s4 = sighting("s4", "south", "cam9", "leopard", at("2026-03-14T23:30:00Z"), null);
            counts.send(s1, s2, s3, s1, s4, s3);

            // north: s1, s2, s3 once each (s1 and s3 were sent twice) = 3; leopard s1, s2 = 2; impala s3 = 1
            assertEquals(3, counts.total("north", "all").sightings());
            assertEquals(2, counts.tally("north", "all", "leopard").sightings());
            assertEquals(1, counts.tally("north", "all", "impala").sightings());
            // north's 14 March (local): s1 (07:00) and s3 (12:00); its 15 March: s2 (01:30)
            assertEquals(2, counts.total("north", "day/2026-03-14").sightings());
            assertEquals(1, counts.total("north", "day/2026-03-15").sightings());
            assertEquals(1, counts.total("south", "day/2026-03-14").sightings());
            assertEquals(0, counts.total("south", "day/2026-03-15").sightings());

            Map<String, SiteCount> published = counts.published();
            assertEquals(Set.of("north/all", "north/day/2026-03-14", "north/day/2026-03-15", "south/all", "south/day/2026-03-14"),
                    published.keySet());
            SiteCount day = published.get("north/day/2026-03-14");
            assertEquals(CountWindow.DAY, day.getWindowKind());
            assertEquals(at("2026-03-13T22:00:00Z"), day.getWindowStart(), "local midnight in Johannesburg");
            assertEquals(at("2026-03-14T22:00:00Z"), day.getWindowEnd());
            assertEquals(2, day.getSightings());
            SiteCount all = published.get("north/all");
            assertEquals(CountWindow.ALL_TIME, all.getWindowKind());
            assertEquals(List.of(new SpeciesCount("impala", 1L, 1L, 0, 1L), new SpeciesCount("leopard", 2L, 2L, 0, 2L)), all.getSpecies());
            assertNull(all.getTrapNights(), "no deployment in the catalog: effort unknown, not zero");
            assertEquals(CountsDriver.NOW.plusSeconds(1), all.getUpdatedTime());

            assertEquals(List.of(), counts.publishedKeys(), "nothing changed, nothing published again");
            counts.send(s2);
            assertEquals(List.of(), counts.publishedKeys(), "a sighting sent again changes nothing");
        }
    }

    @Test
    void onlyAnimalsAreCounted(@TempDir Path state) {
        try (CountsDriver counts = new CountsDriver(state)) {
            Sighting person = sighting("p1", "north", "cam1", "leopard", at("2026-03-14T06:00:00Z"), null);
            person.getDetection().setCategory(DetectionCategory.PERSON);
            Sighting vehicle = sighting("v1", "north", "cam1", "truck", at("2026-03-14T06:00:00Z"), null);
            vehicle.getDetection().setCategory(DetectionCategory.VEHICLE);
            counts.send(person, vehicle, sighting("a1", "north", "cam1", "leopard", at("2026-03-14T07:00:00Z"), null));
            assertEquals(1, counts.total("north", "all").sightings(), "a person or a vehicle is never a sighting");
        }
    }

    /**
     * One camera's leopards at 06:00, 06:10, 06:25, 06:50, 08:00 and 08:30; gaps to the detection before:
     * –, 10, 15, 25, 70, 30 minutes. Closer than 30 minutes is the same event, so events start at 06:00,
     * 08:00 and 08:30 (exactly 30 is not closer): 3 events. (Measured from an event's first detection
     * instead, 06:50 would have started a fourth.) A leopard at another camera at 06:05 and an impala at
     * the first camera at 06:15 are events of their own: 5 events, 8 sightings.
     */
    @Test
    void independentEventsFollowTheConsecutiveDetectionRuleInAnyArrivalOrder(@TempDir Path state) {
        List<Sighting> all = List.of(
                sighting("a1", "north", "cam1", "leopard", at("2026-03-14T06:00:00Z"), null),
                sighting("a2", "north", "cam1", "leopard", at("2026-03-14T06:10:00Z"), null),
                sighting("a3", "north", "cam1", "leopard", at("2026-03-14T06:25:00Z"), null),
                sighting("a4", "north", "cam1", "leopard", at("2026-03-14T06:50:00Z"), null),
                sighting("a5", "north", "cam1", "leopard", at("2026-03-14T08:00:00Z"), null),
                sighting("a6", "north", "cam1", "leopard", at("2026-03-14T08:30:00Z"), null),
                sighting("b1", "north", "cam2", "leopard", at("2026-03-14T06:05:00Z"), null),
                sighting("c1", "north", "cam1", "impala", at("2026-03-14T06:15:00Z"), null));
        List<List<Sighting>> orders = new ArrayList<>();
        orders.add(all);
        List<Sighting> reversed = new ArrayList<>(all);
        Collections.reverse(reversed);
        orders.add(reversed);
        List<Sighting> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, new java.util.Random(7));
        orders.add(shuffled);
        int run = 0;
        for (List<Sighting> order : orders) {
            try (CountsDriver counts = new CountsDriver(state.resolve("run" + run++))) {
                counts.send(order.toArray(Sighting[]::new));
                String how = "arrival order " + order.stream().map(Sighting::getSightingId).toList();
                assertEquals(8, counts.total("north", "all").sightings(), how);
                assertEquals(5, counts.total("north", "all").events(), how);
                assertEquals(4, counts.tally("north", "all", "leopard").events(), how);
                assertEquals(1, counts.tally("north", "all", "impala").events(), how);
                assertEquals(5, counts.total("north", "day/2026-03-14").events(), how);
                // by hour (UTC: the site is not in the catalog): leopard sightings 06:xx ×5 (a1–a4, b1), 08:xx ×2;
                // leopard events at 06:00 and 06:05 (hour 6), 08:00 and 08:30 (hour 8)
                long[] sightingsByHour = new long[24];
                sightingsByHour[6] = 5;
                sightingsByHour[8] = 2;
                long[] eventsByHour = new long[24];
                eventsByHour[6] = 2;
                eventsByHour[8] = 2;
                assertArrayEquals(sightingsByHour, counts.activity("north", "leopard").sightings(), how);
                assertArrayEquals(eventsByHour, counts.activity("north", "leopard").events(), how);
                sightingsByHour[6] = 6;
                eventsByHour[6] = 3;
                assertArrayEquals(sightingsByHour, counts.activity("north", Keys.ALL_SPECIES).sightings(), how);
                assertArrayEquals(eventsByHour, counts.activity("north", Keys.ALL_SPECIES).events(), how);
            }
        }
    }

    @Test
    void aLateDetectionJoinsEventsAndMovesAnEventToTheDayItStarted(@TempDir Path state) {
        try (CountsDriver counts = new CountsDriver(state)) {
            // 06:00 and 06:40: 40 minutes apart, two events
            counts.send(sighting("e1", "north", "cam1", "leopard", at("2026-03-14T06:00:00Z"), null),
                    sighting("e2", "north", "cam1", "leopard", at("2026-03-14T06:40:00Z"), null));
            assertEquals(2, counts.total("north", "all").events());
            // 06:20 arrives late: gaps 20 and 20, one event
            counts.send(sighting("e3", "north", "cam1", "leopard", at("2026-03-14T06:20:00Z"), null));
            assertEquals(1, counts.total("north", "all").events());
            // 05:00, an hour before: an event of its own; then 05:45: starts an event (45 after 05:00) and
            // 06:00 no longer does (15 after 05:45): still 2
            counts.send(sighting("e4", "north", "cam1", "leopard", at("2026-03-14T05:00:00Z"), null));
            assertEquals(2, counts.total("north", "all").events());
            counts.send(sighting("e5", "north", "cam1", "leopard", at("2026-03-14T05:45:00Z"), null));
            assertEquals(2, counts.total("north", "all").events());
            assertEquals(5, counts.total("north", "all").sightings());

            // 00:10 on the 16th: an event that day; then 23:50 on the 15th arrives, 20 minutes before it:
            // the event starts on the 15th now and the 16th has a sighting but no event
            counts.send(sighting("m2", "north", "cam1", "leopard", at("2026-03-16T00:10:00Z"), null));
            assertEquals(1, counts.total("north", "day/2026-03-16").events());
            counts.send(sighting("m1", "north", "cam1", "leopard", at("2026-03-15T23:50:00Z"), null));
            assertEquals(1, counts.total("north", "day/2026-03-15").events());
            assertEquals(0, counts.total("north", "day/2026-03-16").events());
            assertEquals(1, counts.total("north", "day/2026-03-16").sightings());
            assertEquals(3, counts.total("north", "all").events());
            // the hour moved with it: hour 0 lost its event, hour 23 has one
            assertEquals(0, counts.activity("north", "leopard").events()[0]);
            assertEquals(1, counts.activity("north", "leopard").events()[23]);
        }
    }

    /** A sighting of a species on a frame: the boxes of one frame share its frame id and its capture time. */
    static Sighting onFrame(String id, String frame, String camera, String species, String time) {
        Sighting s = sighting(id, "north", camera, species, at(time), null);
        s.getDetection().setFrameId(frame);
        return s;
    }

    /**
     * A burst of zebras at cam1: frame f1 at 06:00:00 with 2, f2 at 06:00:02 with 5, f3 at 06:00:04 with 3; an
     * hour later f4 with 1 (an event of its own). MaxN: 5 and 1, so 6 animals from 11 boxes, 2 events. A
     * giraffe on f2 is the giraffes' own event (MaxN 1): every species 7. At cam2, f5 with 2 zebras at 06:00
     * is another event: zebras 8, every species 9. In any arrival order.
     */
    @Test
    void animalsAreEachEventsMaxNNotTheBoxesSummedOverItsFrames(@TempDir Path state) {
        List<Sighting> all = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            all.add(onFrame("f1z" + i, "f1", "cam1", "zebra", "2026-03-14T06:00:00Z"));
        }
        for (int i = 1; i <= 5; i++) {
            all.add(onFrame("f2z" + i, "f2", "cam1", "zebra", "2026-03-14T06:00:02Z"));
        }
        for (int i = 1; i <= 3; i++) {
            all.add(onFrame("f3z" + i, "f3", "cam1", "zebra", "2026-03-14T06:00:04Z"));
        }
        all.add(onFrame("f4z1", "f4", "cam1", "zebra", "2026-03-14T07:00:04Z"));
        all.add(onFrame("f2g1", "f2", "cam1", "giraffe", "2026-03-14T06:00:02Z"));
        all.add(onFrame("f5z1", "f5", "cam2", "zebra", "2026-03-14T06:00:00Z"));
        all.add(onFrame("f5z2", "f5", "cam2", "zebra", "2026-03-14T06:00:00Z"));
        List<List<Sighting>> orders = new ArrayList<>();
        orders.add(all);
        List<Sighting> reversed = new ArrayList<>(all);
        Collections.reverse(reversed);
        orders.add(reversed);
        for (int seed = 1; seed <= 3; seed++) {
            List<Sighting> shuffled = new ArrayList<>(all);
            Collections.shuffle(shuffled, new java.util.Random(seed));
            orders.add(shuffled);
        }
        int run = 0;
        for (List<Sighting> order : orders) {
            try (CountsDriver counts = new CountsDriver(state.resolve("run" + run++))) {
                counts.send(order.toArray(Sighting[]::new));
                counts.send(order.get(0), order.get(3));
                String how = "arrival order " + order.stream().map(Sighting::getSightingId).toList();
                Tally zebras = counts.tally("north", "all", "zebra");
                assertEquals(13, zebras.sightings(), how);
                assertEquals(3, zebras.events(), how);
                assertEquals(8, zebras.animals(), how);
                assertEquals(1, counts.tally("north", "all", "giraffe").animals(), how);
                assertEquals(9, counts.total("north", "all").animals(), how);
                assertEquals(9, counts.total("north", "day/2026-03-14").animals(), how);
                SpeciesCount published = counts.published().get("north/all").getSpecies().stream()
                        .filter(c -> c.getSpeciesLabel().equals("zebra")).findFirst().orElseThrow();
                assertEquals(8L, published.getAnimals(), how);
                assertEquals(9L, counts.published().get("north/all").getAnimals(), how);
            }
        }
    }

    /**
     * Two events of leopards at cam1, 06:00 (a frame with 2) and 06:40 (a frame with 3): 5 animals. A frame
     * at 06:20 with 1 arrives late and bridges them into one event: its MaxN is 3, so 3 animals, 1 event.
     * Then a frame at 23:50 with 2, and one at 00:10 the next day with 4 arrives first: the day it started
     * (the 15th, UTC, the site not being in the catalog) counts that event's 4, the 16th none.
     */
    @Test
    void aLateFrameThatJoinsTwoEventsLeavesOneWithTheLargerMaxN(@TempDir Path state) {
        try (CountsDriver counts = new CountsDriver(state)) {
            counts.send(onFrame("a1", "fa", "cam1", "leopard", "2026-03-14T06:00:00Z"),
                    onFrame("a2", "fa", "cam1", "leopard", "2026-03-14T06:00:00Z"),
                    onFrame("b1", "fb", "cam1", "leopard", "2026-03-14T06:40:00Z"),
                    onFrame("b2", "fb", "cam1", "leopard", "2026-03-14T06:40:00Z"),
                    onFrame("b3", "fb", "cam1", "leopard", "2026-03-14T06:40:00Z"));
            assertEquals(5, counts.total("north", "all").animals());
            assertEquals(2, counts.total("north", "all").events());
            counts.send(onFrame("c1", "fc", "cam1", "leopard", "2026-03-14T06:20:00Z"));
            assertEquals(3, counts.total("north", "all").animals());
            assertEquals(1, counts.total("north", "all").events());
            assertEquals(3, counts.total("north", "day/2026-03-14").animals());

            for (int i = 1; i <= 4; i++) {
                counts.send(onFrame("n" + i, "fn", "cam1", "leopard", "2026-03-16T00:10:00Z"));
            }
            assertEquals(4, counts.total("north", "day/2026-03-16").animals());
            counts.send(onFrame("m1", "fm", "cam1", "leopard", "2026-03-15T23:50:00Z"),
                    onFrame("m2", "fm", "cam1", "leopard", "2026-03-15T23:50:00Z"));
            assertEquals(4, counts.total("north", "day/2026-03-15").animals());
            assertEquals(0, counts.total("north", "day/2026-03-16").animals());
            assertEquals(7, counts.total("north", "all").animals());
        }
    }

    @Test
    void theIndependenceIntervalIsConfigurable(@TempDir Path state) {
        try (CountsDriver counts = new CountsDriver(state, NORTH_IN_JOHANNESBURG, Duration.ofMinutes(5), List.of())) {
            // 06:00, 06:04, 06:10 with 5 minutes: gaps 4 (same) and 6 (new) = 2 events
            counts.send(sighting("i1", "north", "cam1", "leopard", at("2026-03-14T06:00:00Z"), null),
                    sighting("i2", "north", "cam1", "leopard", at("2026-03-14T06:04:00Z"), null),
                    sighting("i3", "north", "cam1", "leopard", at("2026-03-14T06:10:00Z"), null));
            assertEquals(2, counts.total("north", "all").events());
        }
    }

    /**
     * Effort: cam1 out 1 March 00:00 to 11 March 00:00 UTC (10 trap-nights); cam2 from 5 March 12:00
     * UTC, still out when the counts are published, a second after the driver's 15 March 00:00 (9.5
     * trap-nights and a second, 1/86400): 19.5 in all and that second. Johannesburg's
     * 5 March runs 4 March 22:00 to 5 March 22:00 UTC: cam1 the whole day (1) and cam2 from 12:00 (10 h,
     * 0.41667): 1.41667.
     */
    @Test
    void trapNightsComeFromTheDeploymentsOfTheWindow(@TempDir Path state) {
        SiteCatalog.Contents catalog = new SiteCatalog.Contents(NORTH_IN_JOHANNESBURG.sites(),
                List.of(new Camera("cam1", "north", null, null, 0), new Camera("cam2", "north", null, null, 0)),
                List.of(new Deployment("d1", "cam1", "north", at("2026-03-01T00:00:00Z"), at("2026-03-11T00:00:00Z")),
                        new Deployment("d2", "cam2", "north", at("2026-03-05T12:00:00Z"), null)));
        try (CountsDriver counts = new CountsDriver(state, catalog, Duration.ofMinutes(30), List.of())) {
            counts.send(deployed(sighting("t1", "north", "cam1", "leopard", at("2026-03-05T08:00:00Z"), null), "d1"),
                    deployed(sighting("t2", "north", "cam2", "leopard", at("2026-03-05T14:00:00Z"), null), "d2"));
            Map<String, SiteCount> published = counts.published();
            double aSecond = 1.0 / 86_400;
            assertEquals(19.5 + aSecond, published.get("north/all").getTrapNights(), 1e-9);
            assertEquals(1 + 10.0 / 24, published.get("north/day/2026-03-05").getTrapNights(), 1e-9);
            assertEquals(10.0, published.get("north/deployment/d1").getTrapNights(), 1e-9);
            assertEquals(9.5 + aSecond, published.get("north/deployment/d2").getTrapNights(), 1e-9);
            assertEquals(CountWindow.DEPLOYMENT, published.get("north/deployment/d1").getWindowKind());
            assertEquals(at("2026-03-11T00:00:00Z"), published.get("north/deployment/d1").getWindowEnd());
            assertEquals(1, published.get("north/deployment/d2").getSightings());
        }
    }

    static Sighting deployed(Sighting s, String deploymentId) {
        return Sighting.newBuilder(s).setDeploymentId(deploymentId).build();
    }

    static final Instant T1 = at("2026-03-20T10:00:00Z");
    static final Instant T2 = at("2026-03-21T10:00:00Z");

    /**
     * A merge lowers the count: A has s1 and s2, B has s3, two individuals; B is merged into A (B's
     * update: MERGED into A, no sightings; A's: s1, s2, s3): one. Whatever the order of the two updates
     * and of sightings and gallery, the end is the same.
     */
    @Test
    void aMergeLowersDistinctIndividualsInEveryArrivalOrder(@TempDir Path state) {
        Sighting s1 = sighting("s1", "north", "cam1", "leopard", at("2026-03-14T06:00:00Z"), "A");
        Sighting s2 = sighting("s2", "north", "cam1", "leopard", at("2026-03-14T09:00:00Z"), "A");
        Sighting s3 = sighting("s3", "north", "cam2", "leopard", at("2026-03-14T07:00:00Z"), "B");
        IndividualUpdate createA = individual("A", IndividualStatus.PROVISIONAL, null, T1, "s1", "s2");
        IndividualUpdate createB = individual("B", IndividualStatus.PROVISIONAL, null, T1, "s3");
        IndividualUpdate absorbB = individual("B", IndividualStatus.MERGED, "A", T2);
        IndividualUpdate growA = individual("A", IndividualStatus.CONFIRMED, null, T2, "s1", "s2", "s3");

        List<Consumer<CountsDriver>> orders = List.of(
                c -> {
                    c.send(s1, s2, s3);
                    c.send(createA, createB);
                    assertEquals(2, c.total("north", "all").individuals(), "before the merge");
                    c.send(growA, absorbB);
                },
                c -> {
                    c.send(s1, s2, s3);
                    c.send(createA, createB, absorbB, growA);
                },
                c -> {
                    // the gallery first, sightings last
                    c.send(createA, createB, absorbB, growA);
                    c.send(s3, s2, s1);
                },
                c -> {
                    // only the absorbed individual's update has come: s3 follows B's merge into A
                    c.send(s1, s2, s3);
                    c.send(absorbB);
                });
        int run = 0;
        for (Consumer<CountsDriver> order : orders) {
            try (CountsDriver counts = new CountsDriver(state.resolve("run" + run))) {
                order.accept(counts);
                String how = "order " + run++;
                assertEquals(1, counts.total("north", "all").individuals(), how);
                assertEquals(1, counts.tally("north", "all", "leopard").individuals(), how);
                assertEquals(1, counts.total("north", "day/2026-03-14").individuals(), how);
                assertEquals("A", counts.individualOf("north", s3), how);
                assertEquals(3, counts.total("north", "all").sightings(), how);
                assertEquals(1, counts.published().get("north/all").getDistinctIndividuals(), how);
            }
        }
    }

    /**
     * A split raises the count: A has s1–s4 (one individual); C is split from A with s3 and s4, and A's
     * next update lists s1 and s2: two. In either order of the two updates.
     */
    @Test
    void aSplitRaisesDistinctIndividualsInEitherOrder(@TempDir Path state) {
        Sighting[] sightings = new Sighting[4];
        for (int i = 0; i < 4; i++) {
            sightings[i] = sighting("s" + (i + 1), "north", "cam1", "leopard", at("2026-03-14T0" + (i + 1) + ":00:00Z"), "A");
        }
        IndividualUpdate before = individual("A", IndividualStatus.CONFIRMED, null, T1, "s1", "s2", "s3", "s4");
        IndividualUpdate splitOff = IndividualUpdate.newBuilder(individual("C", IndividualStatus.PROVISIONAL, null, T2, "s3", "s4"))
                .setSplitFrom("A").build();
        IndividualUpdate shrunk = individual("A", IndividualStatus.CONFIRMED, null, T2, "s1", "s2");
        for (List<IndividualUpdate> order : List.of(List.of(splitOff, shrunk), List.of(shrunk, splitOff))) {
            try (CountsDriver counts = new CountsDriver(state.resolve(order.get(0).getIndividualId()))) {
                counts.send(sightings);
                counts.send(before);
                assertEquals(1, counts.total("north", "all").individuals());
                counts.send(order.toArray(IndividualUpdate[]::new));
                assertEquals(2, counts.total("north", "all").individuals(), "order " + order);
                assertEquals("C", counts.individualOf("north", sightings[2]));
                assertEquals("C", counts.individualOf("north", sightings[3]));
                assertEquals("A", counts.individualOf("north", sightings[0]));
            }
        }
    }

    @Test
    void aReviewedSightingCountsTowardsTheIndividualThatListsIt(@TempDir Path state) {
        try (CountsDriver counts = new CountsDriver(state)) {
            Sighting known = sighting("k1", "north", "cam1", "leopard", at("2026-03-14T06:00:00Z"), "A");
            Sighting review = sighting("r1", "north", "cam1", "leopard", at("2026-03-15T06:00:00Z"), null);
            counts.send(known, review);
            counts.send(individual("A", IndividualStatus.CONFIRMED, null, T1, "k1"));
            // r1 is a sighting, of nobody yet: 15 March has 1 sighting and no individual
            assertEquals(1, counts.total("north", "day/2026-03-15").sightings());
            assertEquals(0, counts.total("north", "day/2026-03-15").individuals());
            assertNull(counts.individualOf("north", review));
            // a reviewer confirms it as A
            counts.send(individual("A", IndividualStatus.CONFIRMED, null, T2, "k1", "r1"));
            assertEquals(1, counts.total("north", "day/2026-03-15").individuals());
            assertEquals(1, counts.total("north", "all").individuals());
            assertEquals("A", counts.individualOf("north", review));
        }
    }

    /**
     * A sighting that no update lists goes by its own individual through the chain of merges: A into B,
     * B into C makes it C's. A retired individual takes its sightings with it: unidentified.
     */
    @Test
    void aSightingNoUpdateListsFollowsItsIndividualThroughChainsOfMerges(@TempDir Path state) {
        Sighting s = sighting("x1", "north", "cam1", "leopard", at("2026-03-14T06:00:00Z"), "A");
        for (boolean sightingFirst : new boolean[] {true, false}) {
            try (CountsDriver counts = new CountsDriver(state.resolve("first-" + sightingFirst))) {
                if (sightingFirst) {
                    counts.send(s);
                    assertEquals("A", counts.individualOf("north", s), "its own individual, before any update");
                }
                counts.send(individual("A", IndividualStatus.MERGED, "B", T1));
                counts.send(individual("B", IndividualStatus.MERGED, "C", T2));
                if (!sightingFirst) {
                    counts.send(s);
                }
                assertEquals("C", counts.individualOf("north", s), "sighting first: " + sightingFirst);
                assertEquals(1, counts.total("north", "all").individuals());
                counts.send(individual("C", IndividualStatus.RETIRED, null, T2.plusSeconds(60)));
                assertNull(counts.individualOf("north", s));
                assertEquals(0, counts.total("north", "all").individuals());
                assertEquals(1, counts.total("north", "all").sightings(), "still a sighting");
            }
        }
    }

    @Test
    void aDeletedIndividualNoLongerHoldsItsSightings(@TempDir Path state) {
        try (CountsDriver counts = new CountsDriver(state)) {
            Sighting s = sighting("d1", "north", "cam1", "leopard", at("2026-03-14T06:00:00Z"), null);
            counts.send(s);
            counts.send(individual("Z", IndividualStatus.CONFIRMED, null, T1, "d1"));
            assertEquals("Z", counts.individualOf("north", s));
            counts.delete("Z");
            assertNull(counts.individualOf("north", s));
            assertEquals(0, counts.total("north", "all").individuals());
        }
    }

    /**
     * Chapman on a session of two occasions (1–8 March, 8–15 March): individuals I01–I30 seen on the
     * first (I01 twice), I11–I40 on the second, so n1 = 30, n2 = 30, m2 = 20 (I11–I30).
     * <pre>
     * N̂   = 31·31/21 − 1 = 961/21 − 1 = 44.76190
     * var = 31·31·10·10/(21²·22) = 96100/9702 = 9.90517
     * seen M = 30 + 30 − 20 = 40, unseen f0 = 4.76190
     * C   = exp(1.96·√ln(1 + 9.90517/4.76190²)) = exp(1.96·√ln 1.43682) = exp(1.96·0.60202) = 3.25419
     * 95% = [40 + 4.76190/3.25419, 40 + 4.76190·3.25419] = [41.46332, 55.49613]
     * </pre>
     * A sighting outside both occasions (20 March) is not part of the session.
     */
    @Test
    void chapmanEstimateForACaptureSession(@TempDir Path state) {
        CaptureSession spring = new CaptureSession("spring", at("2026-03-01T00:00:00Z"), at("2026-03-08T00:00:00Z"),
                at("2026-03-08T00:00:00Z"), at("2026-03-15T00:00:00Z"), Set.of());
        try (CountsDriver counts = new CountsDriver(state, NORTH_IN_JOHANNESBURG, Duration.ofMinutes(30), List.of(spring))) {
            int n = 0;
            for (int i = 1; i <= 30; i++) {
                counts.send(sighting("o1-" + n++, "north", "cam" + i, "leopard", at("2026-03-02T10:00:00Z"), id(i)));
            }
            counts.send(sighting("o1-" + n++, "north", "cam1", "leopard", at("2026-03-03T10:00:00Z"), id(1)));
            for (int i = 11; i <= 40; i++) {
                counts.send(sighting("o2-" + n++, "north", "cam" + i, "leopard", at("2026-03-10T10:00:00Z"), id(i)));
            }
            counts.send(sighting("late-" + n, "north", "cam1", "leopard", at("2026-03-20T10:00:00Z"), id(41)));

            Tally t = counts.tally("north", "session/spring", "leopard");
            assertEquals(List.of(30L, 30L, 20L, 40L, 61L), List.of(t.n1(), t.n2(), t.m2(), t.individuals(), t.sightings()));
            SiteCount session = counts.published().get("north/session/spring");
            assertEquals(CountWindow.SESSION, session.getWindowKind());
            assertEquals(at("2026-03-01T00:00:00Z"), session.getWindowStart());
            assertEquals(at("2026-03-15T00:00:00Z"), session.getWindowEnd());
            assertEquals(40, session.getDistinctIndividuals());
            assertEquals(61, session.getSightings());
            PopulationEstimate estimate = session.getEstimates().get(0);
            assertEquals("leopard", estimate.getSpeciesLabel());
            assertEquals("chapman", estimate.getMethod());
            assertEquals(44.76190, estimate.getEstimate(), 1e-5);
            assertEquals(9.90517, estimate.getVariance(), 1e-5);
            assertEquals(41.46332, estimate.getLower95(), 1e-5);
            assertEquals(55.49613, estimate.getUpper95(), 1e-5);
            assertEquals(List.of(), counts.published().get("north/all").getEstimates(), "estimates belong to sessions");
            assertEquals(41, counts.total("north", "all").individuals());
        }
    }

    private static String id(int i) {
        return String.format("I%02d", i);
    }
}
