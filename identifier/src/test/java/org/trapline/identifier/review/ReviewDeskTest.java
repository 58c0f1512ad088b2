package org.trapline.identifier.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trapline.identifier.gallery.Gallery;
import org.trapline.identifier.gallery.GalleryChanges;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.IndividualStatus;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.MatchDecision;
import org.trapline.schema.SampleRecords;
import org.trapline.schema.Sighting;

/** The review decisions on a gallery without matchers: which records each writes, and what each refuses. */
class ReviewDeskTest {

    Gallery gallery;
    ReviewDesk desk;

    @BeforeEach
    void setUp() {
        gallery = new Gallery(species -> List.of(), reference -> null);
        desk = new ReviewDesk(gallery, 20, Clock.fixed(Instant.parse("2026-06-01T12:00:00Z"), ZoneOffset.UTC));
    }

    static Sighting sighting(String frameId, int index, String site) {
        FrameDetections detections = SampleRecords.detections(SampleRecords.frame("cam-1"));
        return Sighting.newBuilder(SampleRecords.sighting(detections))
                .setSightingId(GalleryChanges.sightingId(frameId, index))
                .setSiteId(site)
                .setSpeciesLabel("walrus")
                .setIndividualId(null)
                .setDecision(MatchDecision.REVIEW)
                .build();
    }

    IndividualUpdate known(String id, Sighting... sightings) {
        IndividualUpdate individual = GalleryChanges.created(id, sightings[0],
                GalleryChanges.reference(sightings[0], null, Optional.empty()), IndividualStatus.PROVISIONAL,
                Instant.EPOCH, "test", null);
        for (int i = 1; i < sightings.length; i++) {
            individual = GalleryChanges.seenAgain(individual, sightings[i], GalleryChanges.reference(sightings[i], null,
                    Optional.empty()), 20, individual.getChange(), individual.getStatus(), Instant.EPOCH, "test", null);
        }
        gallery.apply(individual);
        return individual;
    }

    @Test
    void confirmingGivesTheSightingToTheIndividualAndEmptiesTheQueue() throws Exception {
        known("tusk", sighting("f1", 0, "north"));
        Sighting waiting = sighting("f2", 0, "south");
        desk.enqueue(waiting);
        ReviewDesk.Change change = desk.confirm(waiting.getSightingId(), "tusk", "amara");
        desk.apply(change);
        IndividualUpdate tusk = gallery.get("tusk").orElseThrow();
        assertEquals(List.of("f1:0", "f2:0"), tusk.getSightingIds());
        assertEquals(IndividualStatus.CONFIRMED, tusk.getStatus());
        assertEquals(List.of("north", "south"), tusk.getSiteIds());
        assertEquals(2, tusk.getReferences().size(), "the reviewed crop becomes a reference");
        assertEquals(MatchDecision.MATCHED, change.sightings().get(0).getDecision());
        assertEquals("tusk", change.sightings().get(0).getIndividualId());
        assertTrue(desk.queue().isEmpty());
        assertEquals("tusk", gallery.ownerOfSighting("f2:0").orElseThrow().getIndividualId());
    }

    @Test
    void rejectingMakesANewIndividual() throws Exception {
        known("tusk", sighting("f1", 0, "north"));
        desk.enqueue(sighting("f2", 0, "north"));
        ReviewDesk.Change change = desk.reject("f2:0", "amara");
        desk.apply(change);
        String newId = change.individuals().get(0).getIndividualId();
        assertEquals(newId, gallery.ownerOfSighting("f2:0").orElseThrow().getIndividualId());
        assertEquals(2, gallery.live().size());
        assertEquals(404, assertThrows(ReviewException.class, () -> desk.reject("f2:0", "amara")).status(),
                "a sighting is reviewed once");
    }

    @Test
    void mergingMovesSightingsAndLeavesTheAbsorbedOnePointingAtTheSurvivor() throws Exception {
        known("tusk", sighting("f1", 0, "north"));
        known("ind-b", sighting("f2", 0, "south"), sighting("f3", 0, "south"));
        desk.apply(desk.merge("tusk", "ind-b", "amara"));
        assertEquals(List.of("f1:0", "f2:0", "f3:0"), gallery.get("tusk").orElseThrow().getSightingIds());
        assertEquals(IndividualStatus.MERGED, gallery.get("ind-b").orElseThrow().getStatus());
        assertEquals("tusk", gallery.resolve("ind-b").orElseThrow().getIndividualId());
        assertEquals("tusk", gallery.ownerOfSighting("f3:0").orElseThrow().getIndividualId());
        assertEquals(1, gallery.live().size());
        assertEquals(409, assertThrows(ReviewException.class, () -> desk.merge("tusk", "ind-b", "amara")).status(),
                "a merged individual cannot be merged again");
    }

    @Test
    void twoAnimalsSeenInOneFrameCannotBeMergedOrConfirmedAsOne() {
        known("tusk", sighting("f1", 0, "north"));
        known("ind-b", sighting("f1", 1, "north"));
        ReviewException merge = assertThrows(ReviewException.class, () -> desk.merge("tusk", "ind-b", "amara"));
        assertEquals(409, merge.status());
        assertTrue(merge.getMessage().contains("frame f1"), merge.getMessage());
        desk.enqueue(sighting("f1", 2, "north"));
        assertEquals(409, assertThrows(ReviewException.class, () -> desk.confirm("f1:2", "tusk", "amara")).status());
    }

    @Test
    void splittingMovesTheNamedSightingsAndTheirReferencesToANewIndividual() throws Exception {
        known("tusk", sighting("f1", 0, "north"), sighting("f2", 0, "north"), sighting("f3", 0, "north"));
        ReviewDesk.Change change = desk.split("tusk", List.of("f2:0", "f3:0"), "Scar", "amara");
        desk.apply(change);
        IndividualUpdate created = change.individuals().get(1);
        assertEquals(List.of("f1:0"), gallery.get("tusk").orElseThrow().getSightingIds());
        assertEquals(1, gallery.get("tusk").orElseThrow().getReferences().size());
        assertEquals(List.of("f2:0", "f3:0"), created.getSightingIds());
        assertEquals(2, created.getReferences().size());
        assertEquals("tusk", created.getSplitFrom());
        assertEquals("Scar", created.getName());
        assertEquals(created.getIndividualId(), gallery.ownerOfSighting("f3:0").orElseThrow().getIndividualId());
        assertEquals(2, gallery.live().size());
    }

    @Test
    void impossibleSplitsAreRefused() {
        known("tusk", sighting("f1", 0, "north"), sighting("f2", 0, "north"));
        assertEquals(409, assertThrows(ReviewException.class, () -> desk.split("tusk", List.of("f9:0"), null, "a")).status());
        assertEquals(409, assertThrows(ReviewException.class, () -> desk.split("tusk", List.of("f1:0", "f2:0"), null, "a")).status());
        assertEquals(400, assertThrows(ReviewException.class, () -> desk.split("tusk", List.of(), null, "a")).status());
        assertEquals(404, assertThrows(ReviewException.class, () -> desk.split("nobody", List.of("f1:0"), null, "a")).status());
    }

    @Test
    void mergingAcrossSpeciesIsRefused() {
        known("tusk", sighting("f1", 0, "north"));
        IndividualUpdate seal = IndividualUpdate.newBuilder(known("ind-s", sighting("f2", 0, "north"))).setSpecies("seal").build();
        gallery.apply(seal);
        assertEquals(409, assertThrows(ReviewException.class, () -> desk.merge("tusk", "ind-s", "a")).status());
    }

    @Test
    void renamingKeepsEverythingElse() throws Exception {
        IndividualUpdate before = known("tusk", sighting("f1", 0, "north"));
        desk.apply(desk.rename("tusk", "  Old Tusk ", "amara"));
        IndividualUpdate after = gallery.get("tusk").orElseThrow();
        assertEquals("Old Tusk", after.getName());
        assertEquals(before.getSightingIds(), after.getSightingIds());
        assertEquals(400, assertThrows(ReviewException.class, () -> desk.rename("tusk", " ", "a")).status());
    }

    /**
     * A gallery made while walruses were re-identified, now unmarked: their provisional individuals retire and their
     * queued sightings leave the queue; a confirmed one stays (a person said it is a real animal), and so does a
     * species still marked. A second run, once the first is applied, retires nothing.
     */
    @Test
    void retiringUnmarkedSpeciesTakesTheirProvisionalIndividualsAndQueueOnly() throws Exception {
        String walrus = known("tusk", sighting("f1", 0, "north")).getSpecies();
        known("scar", sighting("f2", 0, "north"));
        desk.apply(desk.confirmIndividual("scar", "amara"));
        IndividualUpdate manta = IndividualUpdate.newBuilder(known("spot", sighting("f3", 0, "reef")))
                .setSpecies("Mobula alfredi").build();
        gallery.apply(manta);
        desk.enqueue(sighting("f4", 0, "north"));

        ReviewDesk.Change change = desk.retireUnmarked(walrus::equals, "identifier");
        assertEquals(List.of("tusk"), change.individuals().stream().map(IndividualUpdate::getIndividualId).toList());
        IndividualUpdate retired = change.individuals().get(0);
        assertEquals(IndividualStatus.RETIRED, retired.getStatus());
        assertEquals(org.trapline.schema.IndividualChange.RETIRED, retired.getChange());
        assertEquals(List.of("f1:0"), retired.getSightingIds(), "its sightings are still on record");
        assertEquals("identifier", retired.getActor());
        assertEquals(List.of("f4:0"), change.resolvedReviews());
        assertTrue(change.sightings().isEmpty());

        desk.apply(change);
        assertEquals(List.of("scar", "spot"), gallery.live().stream().map(IndividualUpdate::getIndividualId).sorted().toList());
        assertTrue(desk.queue().isEmpty());
        ReviewDesk.Change again = desk.retireUnmarked(walrus::equals, "identifier");
        assertTrue(again.individuals().isEmpty() && again.resolvedReviews().isEmpty());
    }

}
