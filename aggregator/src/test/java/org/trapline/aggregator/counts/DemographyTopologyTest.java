package org.trapline.aggregator.counts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trapline.aggregator.counts.CountsDriver.individual;
import static org.trapline.aggregator.counts.CountsDriver.sighting;
import static org.trapline.aggregator.counts.CountsTopologyTest.NORTH_IN_JOHANNESBURG;
import static org.trapline.aggregator.counts.CountsTopologyTest.at;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.schema.AgeClass;
import org.trapline.schema.BirthDateKind;
import org.trapline.schema.IndividualStatus;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.LifeHistory;
import org.trapline.schema.Sex;
import org.trapline.schema.Sighting;

/**
 * A site's demography per season through the whole topology (gallery, resolving, individual and counting
 * stages), read from the stores as the API reads them, against values worked out by hand in the comments.
 * Site north (Johannesburg, UTC+2); seasons wet (1 January – 1 April 2026) and dry (1 April – 1 July 2026);
 * leopards juvenile for 12 months and subadult for 12; presumed gone after 90 days unseen.
 */
class DemographyTopologyTest {

    static final Season WET = new Season("wet", at("2026-01-01T00:00:00Z"), at("2026-04-01T00:00:00Z"), Set.of());
    static final Season DRY = new Season("dry", at("2026-04-01T00:00:00Z"), at("2026-07-01T00:00:00Z"), Set.of());
    static final CountSettings SETTINGS = CountsDriver.settings(Duration.ofMinutes(30), List.of(),
            new DemographySettings(List.of(WET, DRY), Duration.ofDays(90), AgeRulesTest.RULES));
    static final Instant T1 = at("2026-06-01T00:00:00Z");

    static CountsDriver driver(Path state) {
        return new CountsDriver(state, NORTH_IN_JOHANNESBURG, SETTINGS);
    }

    static Sighting seen(String id, String individual, String time) {
        return sighting(id, "north", "cam1", "leopard", at(time), individual);
    }

    static LifeHistory life(Sex sex, AgeClass age, String assessedOn) {
        return LifeHistory.newBuilder().setSex(sex).setAgeClass(age)
                .setAgeAssessedOn(assessedOn == null ? null : LocalDate.parse(assessedOn)).build();
    }

    static LifeHistory born(String date, BirthDateKind kind) {
        return LifeHistory.newBuilder().setBirthDate(LocalDate.parse(date)).setBirthDateKind(kind).build();
    }

    /** A confirmed leopard listing its sightings, with a life history (or none). */
    static IndividualUpdate leopard(String id, LifeHistory life, Instant time, String... sightingIds) {
        return IndividualUpdate.newBuilder(individual(id, IndividualStatus.CONFIRMED, null, time, sightingIds))
                .setLifeHistory(life).build();
    }

    static Demography.SpeciesDemography species(Demography.SeasonDemography d, String species) {
        return d.species().stream().filter(s -> s.species().equals(species)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + species + " in " + d));
    }

    static Demography.Member member(Demography.SpeciesDemography d, String id) {
        return d.individuals().stream().filter(m -> m.individualId().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + id + " in " + d.individuals()));
    }

    static List<String> ids(Demography.SpeciesDemography d) {
        return d.individuals().stream().map(Demography.Member::individualId).toList();
    }

    /**
     * Leopards at north in the wet season, age classes on its first day, 1 January 2026:
     * <pre>
     * F1 female, juvenile assessed 2024-11-15: 13 whole months → subadult (12 to 24)   seen 10 Jan
     * F2 female, juvenile assessed 2023-06-01: 31 months → adult (24 or more)          seen 1 Feb
     * F3 female, adult                                                                   seen 1 Mar
     * M1 male, subadult assessed 2025-12-01: 1 month → subadult                         seen 15 Feb
     * U1 no life history: sex and age unknown                                            seen 20 Mar
     * K1 male, adult: seen 1 Dec 2025 and 5 Apr 2026, not in the season, but before and after: known alive
     * X1 female: seen in June 2025 only: not known alive in the wet season
     * </pre>
     * Known alive 6 (seen 5); females 3 (F1–F3), males 2 (M1, K1), unknown 1; juvenile 0, subadult 2
     * (F1, M1), adult 3 (F2, F3, K1), unknown 1. Sex ratio 3/5 = 0.6; Wilson: z² = 3.841459,
     * 1 + z²/5 = 1.768292, centre (0.6 + 0.384146)/1.768292 = 0.556552,
     * half 1.959964·√(0.24/5 + 3.841459/100)/1.768292 = 0.325827: [0.230724, 0.882379].
     * Recruits (first seen here in the season): F1, F2, F3, M1, U1 = 5. No disappearance: as of the latest
     * capture (K1, 5 April) F1 was last seen 85 days before, under 90.
     * An impala I1 (female, juvenile assessed 2020; no rule for impala: still juvenile) is a species of its
     * own: 1 known alive, sex ratio 1/1.
     */
    @Test
    void knownAliveBySexAndAgeClassAndTheSexRatioWithItsWilsonInterval(@TempDir Path state) {
        try (CountsDriver counts = driver(state)) {
            counts.send(seen("f1", "F1", "2026-01-10T08:00:00Z"), seen("f2", "F2", "2026-02-01T08:00:00Z"),
                    seen("f3", "F3", "2026-03-01T08:00:00Z"), seen("m1", "M1", "2026-02-15T08:00:00Z"),
                    seen("u1", "U1", "2026-03-20T08:00:00Z"), seen("k1a", "K1", "2025-12-01T08:00:00Z"),
                    seen("k1b", "K1", "2026-04-05T08:00:00Z"), seen("x1", "X1", "2025-06-01T08:00:00Z"),
                    sighting("i1", "north", "cam2", "impala", at("2026-01-05T08:00:00Z"), "I1"));
            counts.send(leopard("F1", life(Sex.FEMALE, AgeClass.JUVENILE, "2024-11-15"), T1, "f1"),
                    leopard("F2", life(Sex.FEMALE, AgeClass.JUVENILE, "2023-06-01"), T1, "f2"),
                    leopard("F3", life(Sex.FEMALE, AgeClass.ADULT, null), T1, "f3"),
                    leopard("M1", life(Sex.MALE, AgeClass.SUBADULT, "2025-12-01"), T1, "m1"),
                    leopard("U1", null, T1, "u1"),
                    leopard("K1", life(Sex.MALE, AgeClass.ADULT, null), T1, "k1a", "k1b"),
                    leopard("X1", life(Sex.FEMALE, AgeClass.ADULT, null), T1, "x1"),
                    IndividualUpdate.newBuilder(leopard("I1", life(Sex.FEMALE, AgeClass.JUVENILE, "2020-01-01"), T1, "i1"))
                            .setSpecies("impala").build());

            Demography.SeasonDemography wet = counts.demography("north", "wet");
            assertEquals(LocalDate.parse("2026-01-01"), wet.ageClassesOn());
            assertEquals(at("2026-04-05T08:00:00Z"), wet.asOf(), "the site's latest capture");
            assertEquals(List.of("impala", "leopard"), wet.species().stream().map(Demography.SpeciesDemography::species).toList());
            Demography.SpeciesDemography leopards = species(wet, "leopard");
            assertEquals(List.of("F1", "F2", "F3", "K1", "M1", "U1"), ids(leopards));
            assertEquals(6, leopards.knownAlive());
            assertEquals(5, leopards.seen());
            assertEquals(Map.of("female", 3L, "male", 2L, "unknown", 1L), leopards.sex());
            assertEquals(Map.of("juvenile", 0L, "subadult", 2L, "adult", 3L, "unknown", 1L), leopards.ageClass());
            assertEquals(AgeClass.SUBADULT, member(leopards, "F1").ageClass());
            assertEquals(AgeClass.ADULT, member(leopards, "F2").ageClass());
            assertEquals(3, leopards.sexRatio().count());
            assertEquals(5, leopards.sexRatio().of());
            assertEquals(0.6, leopards.sexRatio().estimate(), 1e-12);
            assertEquals(0.230724, leopards.sexRatio().lower95(), 1e-6);
            assertEquals(0.882379, leopards.sexRatio().upper95(), 1e-6);
            assertEquals(5, leopards.recruits());
            assertEquals(0, leopards.births());
            assertEquals(0, leopards.disappearances());
            assertTrue(!member(leopards, "K1").seen() && member(leopards, "K1").knownAlive(), "known alive, not seen");

            Demography.SpeciesDemography impala = species(wet, "impala");
            assertEquals(1, impala.knownAlive());
            assertEquals(Map.of("juvenile", 1L, "subadult", 0L, "adult", 0L, "unknown", 0L), impala.ageClass());
            assertEquals(1.0, impala.sexRatio().estimate(), 1e-12);
            assertEquals(0.206549, impala.sexRatio().lower95(), 1e-6);
        }
    }

    /**
     * <pre>
     * B1 born 10 Feb 2026 (BORN), first seen 20 Feb           wet: birth, recruit
     * B2 first seen as young 5 Mar 2026, seen that day         wet: birth, recruit
     * B3 born June 2025, first seen here 15 Jan 2026           wet: recruit, no birth
     * O1 seen 1 Oct 2025 and 1 Feb 2026                         wet: known alive, neither
     * B4 born 25 Mar 2026, seen here only on 20 Apr             wet: birth (not known alive); dry: recruit
     * </pre>
     * Wet: known alive 4 (B1, B2, B3, O1), births 3 (B1, B2, B4), recruits 3 (B1, B2, B3).
     * Dry: known alive 1 (B4), births 0, recruits 1 (B4).
     */
    @Test
    void birthsAndRecruits(@TempDir Path state) {
        try (CountsDriver counts = driver(state)) {
            counts.send(leopard("B1", born("2026-02-10", BirthDateKind.BORN), T1, "b1"),
                    leopard("B2", born("2026-03-05", BirthDateKind.FIRST_SEEN_YOUNG), T1, "b2"),
                    leopard("B3", born("2025-06-01", BirthDateKind.BORN), T1, "b3"),
                    leopard("O1", null, T1, "o1a", "o1b"),
                    leopard("B4", born("2026-03-25", BirthDateKind.BORN), T1, "b4"));
            counts.send(seen("b1", "B1", "2026-02-20T08:00:00Z"), seen("b2", "B2", "2026-03-05T08:00:00Z"),
                    seen("b3", "B3", "2026-01-15T08:00:00Z"), seen("o1a", "O1", "2025-10-01T08:00:00Z"),
                    seen("o1b", "O1", "2026-02-01T08:00:00Z"), seen("b4", "B4", "2026-04-20T08:00:00Z"));

            Demography.SpeciesDemography wet = species(counts.demography("north", "wet"), "leopard");
            assertEquals(4, wet.knownAlive());
            assertEquals(3, wet.births());
            assertEquals(3, wet.recruits());
            assertTrue(member(wet, "B4").birth() && !member(wet, "B4").knownAlive(), "born in the wet season, seen in the dry");
            assertTrue(member(wet, "B3").recruit() && !member(wet, "B3").birth());
            assertTrue(!member(wet, "O1").recruit() && !member(wet, "O1").birth());

            Demography.SpeciesDemography dry = species(counts.demography("north", "dry"), "leopard");
            assertEquals(List.of("B4"), ids(dry));
            assertEquals(1, dry.knownAlive());
            assertEquals(0, dry.births());
            assertEquals(1, dry.recruits());
        }
    }

    /**
     * A is seen on 10 January at 06:00 UTC (wet season), then only others are. Gone after 90 days: on
     * 10 April 06:00 UTC exactly (21 + 28 + 31 + 10 = 90 days later). As of Z's capture one second before,
     * A is not gone; as of Z's capture at that moment, A disappeared in the wet season. A new sighting of A
     * on 1 May brings it back: no disappearance in the wet season, and A is known alive in the dry one.
     */
    @Test
    void anIndividualUnseenForTheGapIsPresumedGoneAndANewSightingBringsItBack(@TempDir Path state) {
        try (CountsDriver counts = driver(state)) {
            counts.send(leopard("A", null, T1, "a1"), leopard("Z", null, T1, "z1", "z2", "z3"));
            counts.send(seen("a1", "A", "2026-01-10T06:00:00Z"), seen("z1", "Z", "2026-03-01T06:00:00Z"),
                    seen("z2", "Z", "2026-04-10T05:59:59Z"));
            Demography.SpeciesDemography wet = species(counts.demography("north", "wet"), "leopard");
            assertEquals(0, wet.disappearances(), "89 days, 23:59:59 unseen");
            assertEquals(2, wet.knownAlive());

            counts.send(seen("z3", "Z", "2026-04-10T06:00:00Z"));
            wet = species(counts.demography("north", "wet"), "leopard");
            assertEquals(1, wet.disappearances(), "90 days unseen: presumed gone");
            assertTrue(member(wet, "A").disappeared());
            assertTrue(!member(wet, "Z").disappeared(), "Z was last seen in the dry season");
            assertEquals(2, wet.knownAlive(), "A was alive in the wet season all the same");

            counts.send(leopard("A", null, T1.plusSeconds(60), "a1", "a2"));
            counts.send(seen("a2", "A", "2026-05-01T06:00:00Z"));
            wet = species(counts.demography("north", "wet"), "leopard");
            assertEquals(0, wet.disappearances(), "seen again: back");
            assertEquals(at("2026-05-01T06:00:00Z"), member(wet, "A").lastSeen());
            Demography.SpeciesDemography dry = species(counts.demography("north", "dry"), "leopard");
            assertEquals(List.of("A", "Z"), ids(dry));
            assertEquals(0, dry.disappearances());
        }
    }

    /**
     * Wet: A, B, C, D seen; dry: A, B, E. Of the wet season's 4, 2 were seen again: 0.5; Wilson with n = 4:
     * 1 + z²/4 = 1.960365, centre 0.5, half 1.959964·√(0.0625 + 3.841459/64)/1.960365 = 0.349961:
     * [0.150039, 0.849961]. E, new in the dry season, does not count.
     */
    @Test
    void theReturnRateBetweenTwoSeasons(@TempDir Path state) {
        try (CountsDriver counts = driver(state)) {
            counts.send(seen("a1", "A", "2026-01-05T08:00:00Z"), seen("b1", "B", "2026-02-05T08:00:00Z"),
                    seen("c1", "C", "2026-03-05T08:00:00Z"), seen("d1", "D", "2026-03-25T08:00:00Z"),
                    seen("a2", "A", "2026-04-05T08:00:00Z"), seen("b2", "B", "2026-06-05T08:00:00Z"),
                    seen("e2", "E", "2026-05-05T08:00:00Z"));
            Demography.ReturnRate rate = counts.returnRate("north", "wet", "dry");
            assertEquals(1, rate.species().size());
            Demography.SpeciesReturn leopards = rate.species().get(0);
            assertEquals("leopard", leopards.species());
            assertEquals(List.of("A", "B"), leopards.returned());
            assertEquals(2, leopards.returnRate().count());
            assertEquals(4, leopards.returnRate().of());
            assertEquals(0.5, leopards.returnRate().estimate(), 1e-12);
            assertEquals(0.150039, leopards.returnRate().lower95(), 1e-6);
            assertEquals(0.849961, leopards.returnRate().upper95(), 1e-6);

            // seasons are windows too: the wet season's 4 individuals and 4 sightings, never published on site-counts
            assertEquals(4, counts.total("north", "season/wet").individuals());
            assertEquals(4, counts.total("north", "season/wet").sightings());
            assertEquals(3, counts.total("north", "season/dry").individuals());
            assertTrue(counts.published().keySet().stream().noneMatch(k -> k.contains("season/")), "no season on site-counts");
        }
    }

    /**
     * A (female) has a1 (5 Jan) and a2 (5 Feb), B (male) has b1 (5 Mar), all in the wet season: 2 known
     * alive, sex ratio 1/2 = 0.5, Wilson [0.094531, 0.905469] (1 + z²/2 = 2.920729, half
     * 1.959964·√(0.125 + 0.240091)/2.920729 = 0.405469). B merged into A: one female, ratio 1/1 with
     * [0.206549, 1]. C split from A with b1, no life history yet: 2 known alive, a female and one of
     * unknown sex, ratio still 1/1; C recorded male: 1/2 again, as before the merge. The gallery's updates
     * first and the sightings last end the same.
     */
    @Test
    void countsFollowAMergeAndASplitInEitherOrder(@TempDir Path state) {
        Sighting a1 = seen("a1", "A", "2026-01-05T08:00:00Z");
        Sighting a2 = seen("a2", "A", "2026-02-05T08:00:00Z");
        Sighting b1 = seen("b1", "B", "2026-03-05T08:00:00Z");
        LifeHistory female = life(Sex.FEMALE, AgeClass.ADULT, null);
        IndividualUpdate createA = leopard("A", female, at("2026-06-01T00:00:00Z"), "a1", "a2");
        IndividualUpdate createB = leopard("B", life(Sex.MALE, AgeClass.ADULT, null), at("2026-06-01T00:00:00Z"), "b1");
        IndividualUpdate absorbB = individual("B", IndividualStatus.MERGED, "A", at("2026-06-02T00:00:00Z"));
        IndividualUpdate growA = leopard("A", female, at("2026-06-02T00:00:00Z"), "a1", "a2", "b1");
        IndividualUpdate splitC = IndividualUpdate.newBuilder(leopard("C", null, at("2026-06-03T00:00:00Z"), "b1"))
                .setSplitFrom("A").build();
        IndividualUpdate shrinkA = leopard("A", female, at("2026-06-03T00:00:00Z"), "a1", "a2");
        IndividualUpdate sexC = leopard("C", life(Sex.MALE, AgeClass.ADULT, null), at("2026-06-04T00:00:00Z"), "b1");

        try (CountsDriver counts = driver(state.resolve("sightings-first"))) {
            counts.send(a1, a2, b1);
            counts.send(createA, createB);
            Demography.SpeciesDemography before = species(counts.demography("north", "wet"), "leopard");
            assertEquals(List.of("A", "B"), ids(before));
            assertEquals(Map.of("female", 1L, "male", 1L, "unknown", 0L), before.sex());
            assertEquals(0.5, before.sexRatio().estimate(), 1e-12);
            assertEquals(0.094531, before.sexRatio().lower95(), 1e-6);
            assertEquals(0.905469, before.sexRatio().upper95(), 1e-6);

            counts.send(absorbB, growA);
            Demography.SpeciesDemography merged = species(counts.demography("north", "wet"), "leopard");
            assertEquals(List.of("A"), ids(merged), "B's sightings are A's now");
            assertEquals(1, merged.knownAlive());
            assertEquals(Map.of("female", 1L, "male", 0L, "unknown", 0L), merged.sex());
            assertEquals(1.0, merged.sexRatio().estimate(), 1e-12);
            assertEquals(0.206549, merged.sexRatio().lower95(), 1e-6);
            assertEquals(at("2026-03-05T08:00:00Z"), member(merged, "A").lastSeen(), "A's last sighting is B's b1");

            counts.send(splitC, shrinkA);
            Demography.SpeciesDemography split = species(counts.demography("north", "wet"), "leopard");
            assertEquals(List.of("A", "C"), ids(split));
            assertEquals(Map.of("female", 1L, "male", 0L, "unknown", 1L), split.sex());
            assertEquals(at("2026-03-05T08:00:00Z"), member(split, "C").firstSeen());
            assertEquals(at("2026-02-05T08:00:00Z"), member(split, "A").lastSeen());

            counts.send(sexC);
            assertAfterTheSplit(species(counts.demography("north", "wet"), "leopard"));
        }
        try (CountsDriver counts = driver(state.resolve("gallery-first"))) {
            counts.send(createA, createB, absorbB, growA, splitC, shrinkA, sexC);
            counts.send(b1, a2, a1);
            assertAfterTheSplit(species(counts.demography("north", "wet"), "leopard"));
        }
    }

    private static void assertAfterTheSplit(Demography.SpeciesDemography split) {
        assertEquals(List.of("A", "C"), ids(split));
        assertEquals(2, split.knownAlive());
        assertEquals(Map.of("female", 1L, "male", 1L, "unknown", 0L), split.sex());
        assertEquals(0.5, split.sexRatio().estimate(), 1e-12);
        assertEquals(0.094531, split.sexRatio().lower95(), 1e-6);
    }
}
