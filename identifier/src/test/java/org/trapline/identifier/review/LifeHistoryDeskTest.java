package org.trapline.identifier.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trapline.identifier.gallery.Gallery;
import org.trapline.identifier.gallery.GalleryChanges;
import org.trapline.identifier.life.LifeHistoryEdit;
import org.trapline.identifier.life.LifeHistoryEdit.Field;
import org.trapline.schema.AgeClass;
import org.trapline.schema.BirthDateKind;
import org.trapline.schema.IndividualChange;
import org.trapline.schema.IndividualStatus;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.LifeHistory;
import org.trapline.schema.LifeStatus;
import org.trapline.schema.Sex;
import org.trapline.schema.Sighting;

/**
 * Life histories on a gallery without matchers: what an edit writes and carries, each rule that refuses an
 * impossible one, and what merges, splits and later sightings do to them. The desk's clock stands at
 * 2026-06-01 noon UTC, the individuals' sightings in May.
 */
class LifeHistoryDeskTest {

    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final Instant MAY_10 = Instant.parse("2026-05-10T12:00:00Z");
    static final Instant MAY_20 = Instant.parse("2026-05-20T12:00:00Z");

    Gallery gallery;
    ReviewDesk desk;

    @BeforeEach
    void setUp() {
        gallery = new Gallery(species -> List.of(), reference -> null);
        desk = new ReviewDesk(gallery, 20, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static Sighting seen(String frameId, Instant time) {
        return Sighting.newBuilder(ReviewDeskTest.sighting(frameId, 0, "north")).setTime(time).build();
    }

    /** An individual first seen in {@code frameId} at {@code first}, then at each of {@code later}. */
    IndividualUpdate known(String id, String frameId, Instant first, Instant... later) {
        IndividualUpdate individual = GalleryChanges.created(id, seen(frameId, first), null, IndividualStatus.PROVISIONAL,
                first, "test", null);
        for (int i = 0; i < later.length; i++) {
            individual = GalleryChanges.seenAgain(individual, seen(frameId + "-" + i, later[i]), null, 20,
                    IndividualChange.UPDATED, individual.getStatus(), later[i], "test", null);
        }
        gallery.apply(individual);
        return individual;
    }

    LifeHistory edit(String id, LifeHistoryEdit edit) throws ReviewException {
        ReviewDesk.Change change = desk.editLifeHistory(id, edit, "amara");
        desk.apply(change);
        return gallery.get(id).orElseThrow().getLifeHistory();
    }

    ReviewException refused(String id, LifeHistoryEdit edit) {
        return assertThrows(ReviewException.class, () -> desk.editLifeHistory(id, edit, "amara"));
    }

    static LifeHistoryEdit set(Field field, Object value) {
        return LifeHistoryEdit.of(field, value);
    }

    @Test
    void anEditIsOneWholeUpdateAndLaterUpdatesCarryIt() throws Exception {
        known("tusk", "f1", MAY_10, MAY_20);
        ReviewDesk.Change change = desk.editLifeHistory("tusk", set(Field.SEX, Sex.FEMALE)
                .and(Field.AGE_CLASS, AgeClass.ADULT).and(Field.MARKS, "notch in the left fin"), "amara");
        IndividualUpdate written = change.individuals().get(0);
        assertEquals(IndividualChange.UPDATED, written.getChange());
        assertEquals("amara", written.getActor());
        assertEquals(List.of("f1:0", "f1-0:0"), written.getSightingIds(), "the whole state, sightings included");
        assertEquals(Sex.FEMALE, written.getLifeHistory().getSex());
        assertEquals(LocalDate.of(2026, 6, 1), written.getLifeHistory().getAgeAssessedOn(), "assessed today when no date is given");
        desk.apply(change);

        desk.apply(desk.rename("tusk", "Old Tusk", "amara"));
        IndividualUpdate renamed = gallery.get("tusk").orElseThrow();
        assertEquals(written.getLifeHistory(), renamed.getLifeHistory(), "a rename carries the life history");
        IndividualUpdate seenAgain = GalleryChanges.seenAgain(renamed, seen("f9", NOW), null, 20, IndividualChange.UPDATED,
                renamed.getStatus(), NOW, "identifier", null);
        assertEquals(written.getLifeHistory(), seenAgain.getLifeHistory(), "so does a sighting");
        assertEquals(NOW, seenAgain.getLastSeen());
        assertEquals(MAY_10, seenAgain.getFirstSeen());

        LifeHistory cleared = edit("tusk", set(Field.MARKS, null).and(Field.AGE_CLASS, null));
        assertNull(cleared.getMarks());
        assertEquals(AgeClass.UNKNOWN, cleared.getAgeClass());
        assertNull(cleared.getAgeAssessedOn(), "no date for an unknown age class");
        assertEquals(Sex.FEMALE, cleared.getSex(), "what the edit leaves out stays");
    }

    @Test
    void datesAfterTodayAreRefusedWhereverOnEarthTodayIs() throws Exception {
        known("tusk", "f1", MAY_10);
        // 2026-06-02 is already today in UTC+14 at noon UTC; 2026-06-03 is nowhere yet
        edit("tusk", set(Field.STATUS, LifeStatus.PRESUMED_DEAD).and(Field.STATUS_DATE, LocalDate.of(2026, 6, 2)));
        ReviewException future = refused("tusk", set(Field.STATUS, LifeStatus.CONFIRMED_DEAD)
                .and(Field.STATUS_DATE, LocalDate.of(2026, 6, 3)));
        assertEquals(422, future.status());
        assertTrue(future.getMessage().contains("statusDate 2026-06-03") && future.getMessage().contains("future"), future.getMessage());
        assertEquals(422, refused("tusk", set(Field.BIRTH_DATE, LocalDate.of(2027, 1, 1))
                .and(Field.BIRTH_DATE_KIND, BirthDateKind.FIRST_SEEN_YOUNG)).status());
        assertEquals(422, refused("tusk", set(Field.AGE_CLASS, AgeClass.ADULT).and(Field.AGE_ASSESSED_ON,
                LocalDate.of(2026, 7, 1))).status());
    }

    @Test
    void aDeathIsNeverBeforeTheLastSighting() throws Exception {
        known("tusk", "f1", MAY_10, MAY_20);
        for (LifeStatus death : List.of(LifeStatus.PRESUMED_DEAD, LifeStatus.CONFIRMED_DEAD)) {
            ReviewException early = refused("tusk", set(Field.STATUS, death).and(Field.STATUS_DATE, LocalDate.of(2026, 5, 15)));
            assertEquals(422, early.status(), death.name());
            assertTrue(early.getMessage().contains("last sighting, 2026-05-20T12:00:00Z"), early.getMessage());
        }
        // the last sighting's own day may be the day of death
        assertEquals(LifeStatus.CONFIRMED_DEAD, edit("tusk", set(Field.STATUS, LifeStatus.CONFIRMED_DEAD)
                .and(Field.STATUS_DATE, LocalDate.of(2026, 5, 20))).getStatus());
        ReviewException alive = refused("tusk", set(Field.STATUS, LifeStatus.ALIVE).and(Field.STATUS_DATE, LocalDate.of(2026, 5, 21)));
        assertEquals(400, alive.status(), "ALIVE has no status date");
        assertEquals(400, refused("tusk", set(Field.STATUS, LifeStatus.PRESUMED_DEAD).and(Field.STATUS_DATE, null)).status(),
                "a death needs its date");
        assertEquals(LifeStatus.ALIVE, edit("tusk", set(Field.STATUS, LifeStatus.ALIVE)).getStatus());
        assertNull(gallery.get("tusk").orElseThrow().getLifeHistory().getStatusDate(), "ALIVE takes the date away");
    }

    @Test
    void birthsAreBeforeFirstSightingsAndDeaths() throws Exception {
        known("tusk", "f1", MAY_10);
        ReviewException bornAfterSeen = refused("tusk", set(Field.BIRTH_DATE, LocalDate.of(2026, 5, 25))
                .and(Field.BIRTH_DATE_KIND, BirthDateKind.BORN));
        assertEquals(422, bornAfterSeen.status());
        assertTrue(bornAfterSeen.getMessage().contains("first seen before"), bornAfterSeen.getMessage());
        assertEquals(400, refused("tusk", set(Field.BIRTH_DATE, LocalDate.of(2026, 5, 1))).status(), "a date needs its kind");
        edit("tusk", set(Field.BIRTH_DATE, LocalDate.of(2026, 5, 1)).and(Field.BIRTH_DATE_KIND, BirthDateKind.BORN));
        ReviewException deadBeforeBorn = refused("tusk", set(Field.BIRTH_DATE, LocalDate.of(2026, 5, 12)).and(Field.BIRTH_DATE_KIND,
                BirthDateKind.FIRST_SEEN_YOUNG).and(Field.STATUS, LifeStatus.CONFIRMED_DEAD).and(Field.STATUS_DATE, LocalDate.of(2026, 5, 11)));
        assertEquals(422, deadBeforeBorn.status());
        assertTrue(deadBeforeBorn.getMessage().contains("birth date"), deadBeforeBorn.getMessage());
        assertEquals(BirthDateKind.UNKNOWN, edit("tusk", set(Field.BIRTH_DATE, null)).getBirthDateKind(),
                "a cleared birth date takes its kind with it");
    }

    @Test
    void aMotherIsAKnownFemaleOfTheSpeciesBornBeforeHerYoung() throws Exception {
        known("mum", "f1", MAY_10);
        known("calf", "f2", MAY_20);
        known("bull", "f3", MAY_10);
        edit("bull", set(Field.SEX, Sex.MALE));
        edit("mum", set(Field.BIRTH_DATE, LocalDate.of(2020, 1, 1)).and(Field.BIRTH_DATE_KIND, BirthDateKind.FIRST_SEEN_YOUNG));
        edit("calf", set(Field.BIRTH_DATE, LocalDate.of(2026, 5, 2)).and(Field.BIRTH_DATE_KIND, BirthDateKind.BORN));

        ReviewException unknown = refused("calf", set(Field.MOTHER, "nobody"));
        assertEquals(422, unknown.status());
        assertTrue(unknown.getMessage().contains("'nobody' is not a known individual"), unknown.getMessage());
        ReviewException male = refused("calf", set(Field.MOTHER, "bull"));
        assertEquals(422, male.status());
        assertTrue(male.getMessage().contains("bull is MALE"), male.getMessage());
        ReviewException self = refused("calf", set(Field.MOTHER, "calf"));
        assertEquals(422, self.status());
        assertTrue(self.getMessage().contains("its own mother"), self.getMessage());
        ReviewException older = refused("mum", set(Field.MOTHER, "calf"));
        assertEquals(422, older.status(), "the calf, born 2026, cannot be the mother of one first seen young in 2020");
        assertTrue(older.getMessage().contains("not born before her young"), older.getMessage());
        IndividualUpdate seal = IndividualUpdate.newBuilder(known("seal", "f4", MAY_10)).setSpecies("seal").build();
        gallery.apply(seal);
        assertEquals(422, refused("calf", set(Field.MOTHER, "seal")).status(), "another species");

        assertEquals("mum", edit("calf", set(Field.MOTHER, "mum")).getMotherId());
        assertEquals(List.of("calf"), desk.lives().young("mum").stream().map(IndividualUpdate::getIndividualId).toList());
        // and from the mother's side: she cannot become male, nor be born after her calf
        ReviewException nowMale = refused("mum", set(Field.SEX, Sex.MALE));
        assertEquals(422, nowMale.status());
        assertTrue(nowMale.getMessage().contains("mother of calf"), nowMale.getMessage());
        assertEquals(422, refused("mum", set(Field.BIRTH_DATE, LocalDate.of(2026, 5, 3))
                .and(Field.BIRTH_DATE_KIND, BirthDateKind.FIRST_SEEN_YOUNG)).status());
        // nor her own calf's young: no individual among its own ancestors, with or without birth dates
        edit("calf", set(Field.BIRTH_DATE, null));
        edit("mum", set(Field.BIRTH_DATE, null));
        ReviewException cycle = refused("mum", set(Field.MOTHER, "calf"));
        assertEquals(422, cycle.status());
        assertTrue(cycle.getMessage().contains("ancestors"), cycle.getMessage());
    }

    @Test
    void aMergeOfAFemaleAndAMaleNeedsTheReviewerToSayWhichSexStands() throws Exception {
        known("tusk", "f1", MAY_10);
        known("other", "f2", MAY_20);
        edit("tusk", set(Field.SEX, Sex.FEMALE).and(Field.MARKS, "notch"));
        edit("other", set(Field.SEX, Sex.MALE).and(Field.MARKS, "scar").and(Field.AGE_CLASS, AgeClass.ADULT));
        ReviewException conflict = assertThrows(ReviewException.class, () -> desk.merge("tusk", "other", "amara"));
        assertEquals(409, conflict.status());
        assertTrue(conflict.getMessage().contains("tusk is FEMALE and other is MALE"), conflict.getMessage());
        assertEquals(IndividualStatus.PROVISIONAL, gallery.get("other").orElseThrow().getStatus(), "nothing merged");

        desk.apply(desk.merge("tusk", "other", Sex.FEMALE, "amara"));
        IndividualUpdate merged = gallery.get("tusk").orElseThrow();
        assertEquals(Sex.FEMALE, merged.getLifeHistory().getSex());
        assertEquals(AgeClass.ADULT, merged.getLifeHistory().getAgeClass(), "the only assessment");
        assertEquals("notch; scar", merged.getLifeHistory().getMarks());
        assertEquals(MAY_10, merged.getFirstSeen());
        assertEquals(MAY_20, merged.getLastSeen(), "the absorbed one's sightings, with their times");
        assertEquals(2, merged.getSightingTimes().size());
    }

    @Test
    void aMergeMovesTheAbsorbedOnesYoungAndRefusesToMergeAMotherWithHerYoung() throws Exception {
        known("mum", "f1", MAY_10);
        known("mum-too", "f2", MAY_10);
        known("calf", "f3", MAY_20);
        edit("calf", set(Field.MOTHER, "mum-too"));
        ReviewException family = assertThrows(ReviewException.class, () -> desk.merge("calf", "mum-too", "amara"));
        assertEquals(409, family.status());
        assertTrue(family.getMessage().contains("mother"), family.getMessage());

        ReviewDesk.Change change = desk.merge("mum", "mum-too", "amara");
        assertEquals(List.of("mum-too", "mum", "calf"), change.individuals().stream().map(IndividualUpdate::getIndividualId).toList());
        desk.apply(change);
        assertEquals("mum", gallery.get("calf").orElseThrow().getLifeHistory().getMotherId(), "the young follow the merge");
    }

    @Test
    void aMergeUndoesAPresumedDeathTheOtherOnesSightingsDisproveAndRefusesAConfirmedOne() throws Exception {
        known("tusk", "f1", MAY_10);
        known("other", "f2", MAY_20);
        known("third", "f3", MAY_20);
        edit("tusk", set(Field.STATUS, LifeStatus.PRESUMED_DEAD).and(Field.STATUS_DATE, LocalDate.of(2026, 5, 12)));
        desk.apply(desk.merge("tusk", "other", "amara"));
        assertEquals(LifeStatus.ALIVE, gallery.get("tusk").orElseThrow().getLifeHistory().getStatus(), "seen on May 20 after all");

        edit("third", set(Field.STATUS, LifeStatus.CONFIRMED_DEAD).and(Field.STATUS_DATE, LocalDate.of(2026, 5, 21)));
        known("late", "f4", Instant.parse("2026-05-30T12:00:00Z"));
        ReviewException death = assertThrows(ReviewException.class, () -> desk.merge("third", "late", "amara"));
        assertEquals(409, death.status());
        assertTrue(death.getMessage().contains("last sighting"), death.getMessage());
    }

    @Test
    void aSplitLeavesTheLifeHistoryWithTheIdAndSightingTimesWithTheirSightings() throws Exception {
        known("tusk", "f1", MAY_10, MAY_20);
        edit("tusk", set(Field.SEX, Sex.FEMALE));
        ReviewDesk.Change change = desk.split("tusk", List.of("f1-0:0"), "Scar", "amara");
        IndividualUpdate kept = change.individuals().get(0);
        IndividualUpdate created = change.individuals().get(1);
        assertEquals(Sex.FEMALE, kept.getLifeHistory().getSex());
        assertNull(created.getLifeHistory(), "nothing recorded yet of the other animal");
        assertEquals(MAY_10, kept.getLastSeen());
        assertEquals(MAY_20, created.getFirstSeen());
        assertEquals(MAY_20, created.getLastSeen());
    }

    @Test
    void aSightingAfterAPresumedDeathBringsTheIndividualBackAlive() throws Exception {
        known("tusk", "f1", MAY_10);
        edit("tusk", set(Field.STATUS, LifeStatus.PRESUMED_DEAD).and(Field.STATUS_DATE, LocalDate.of(2026, 5, 15)));
        IndividualUpdate before = gallery.get("tusk").orElseThrow();
        IndividualUpdate sameDay = GalleryChanges.seenAgain(before, seen("f2", Instant.parse("2026-05-15T20:00:00Z")),
                null, 20, IndividualChange.UPDATED, before.getStatus(), NOW, "identifier", null);
        assertEquals(LifeStatus.PRESUMED_DEAD, sameDay.getLifeHistory().getStatus(), "the day it was presumed dead from");
        IndividualUpdate later = GalleryChanges.seenAgain(before, seen("f3", MAY_20), null, 20, IndividualChange.UPDATED,
                before.getStatus(), NOW, "identifier", null);
        assertEquals(LifeStatus.ALIVE, later.getLifeHistory().getStatus());
        assertNull(later.getLifeHistory().getStatusDate());
    }
}
