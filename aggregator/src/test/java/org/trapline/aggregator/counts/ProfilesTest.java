package org.trapline.aggregator.counts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trapline.aggregator.counts.CountsDriver.individual;
import static org.trapline.aggregator.counts.CountsDriver.sighting;
import static org.trapline.aggregator.counts.CountsTopologyTest.at;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.catalog.Site;
import org.trapline.catalog.SiteCatalog;
import org.trapline.schema.AgeClass;
import org.trapline.schema.BirthDateKind;
import org.trapline.schema.BlobRef;
import org.trapline.schema.BoundingBox;
import org.trapline.schema.IndividualStatus;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.LifeHistory;
import org.trapline.schema.ReferenceCrop;
import org.trapline.schema.Sex;
import org.trapline.schema.Sighting;

/**
 * An individual's profile through the whole topology, read from the individual stage's stores as the API
 * reads them, against values worked out by hand. Seasons, age rules and the 90-day gap as in
 * {@link DemographyTopologyTest}; independent events 30 minutes apart.
 */
class ProfilesTest {

    static final SiteCatalog.Contents TWO_SITES = new SiteCatalog.Contents(List.of(
            new Site("north", "North", -24.0, 31.5, "Africa/Johannesburg"),
            new Site("south", "South", -25.25, 31.0, "Africa/Johannesburg")), List.of(), List.of());

    static Sighting seen(String id, String site, String camera, String time, String individual) {
        return sighting(id, site, camera, "leopard", at(time), individual);
    }

    static ReferenceCrop crop(String sightingId) {
        return new ReferenceCrop(sightingId, "frame-" + sightingId, new BlobRef("fs", "sha256/ab/ab" + sightingId, 100L),
                new BoundingBox(0.1f, 0.1f, 0.2f, 0.2f), "embedding", List.of());
    }

    /**
     * A, a female leopard, juvenile when assessed on 15 March 2025, born 1 November 2024 to M0; reference
     * crops from a1 and "frame-7:1". Its sightings:
     * <pre>
     * a1         north cam1 10 Jan 2026 06:00   event 1 (cam1)
     * a2         north cam1 10 Jan 2026 06:20   20 minutes after a1: the same event
     * frame-7:1  north cam2 10 Jan 2026 06:25   another camera: event 2
     * a4         north cam1  1 Feb 2026 06:00   event 3
     * a5         south cam9 20 Apr 2026 10:00   event 4
     * </pre>
     * 5 sightings, 4 independent events (north 3, south 1), 2 sites; first seen 10 Jan 06:00, last 20 Apr
     * 10:00. On 1 June 2026: 41 days unseen (not gone); 14 whole months since the assessment: subadult.
     * Seasons: wet 4 sightings, dry 1. On 20 July 2026 10:00: 91 days unseen, presumed gone.
     */
    @Test
    void whoItIsWhenAndWhereItWasSeenAndItsCrops(@TempDir Path state) {
        try (CountsDriver counts = new CountsDriver(state, TWO_SITES, DemographyTopologyTest.SETTINGS)) {
            LifeHistory life = LifeHistory.newBuilder().setSex(Sex.FEMALE).setAgeClass(AgeClass.JUVENILE)
                    .setAgeAssessedOn(LocalDate.parse("2025-03-15")).setBirthDate(LocalDate.parse("2024-11-01"))
                    .setBirthDateKind(BirthDateKind.BORN).setMotherId("M0").setMarks("notch in the left ear").build();
            counts.send(IndividualUpdate.newBuilder(individual("A", IndividualStatus.CONFIRMED, null, at("2026-05-01T00:00:00Z"),
                            "a1", "a2", "frame-7:1", "a4", "a5"))
                    .setName("Mosadi").setLifeHistory(life).setReferences(List.of(crop("a1"), crop("frame-7:1"))).build());
            counts.send(seen("a1", "north", "cam1", "2026-01-10T06:00:00Z", "A"), seen("a2", "north", "cam1", "2026-01-10T06:20:00Z", "A"),
                    seen("frame-7:1", "north", "cam2", "2026-01-10T06:25:00Z", "A"), seen("a4", "north", "cam1", "2026-02-01T06:00:00Z", "A"),
                    seen("a5", "south", "cam9", "2026-04-20T10:00:00Z", "A"));

            Profiles.Profile a = counts.profile("A", at("2026-06-01T00:00:00Z")).orElseThrow();
            assertEquals("Mosadi", a.name());
            assertEquals("leopard", a.species());
            assertEquals("CONFIRMED", a.status());
            assertEquals(Sex.FEMALE, a.lifeHistory().sex());
            assertEquals("M0", a.lifeHistory().motherId());
            assertEquals(AgeClass.JUVENILE, a.lifeHistory().ageClass(), "as assessed");
            assertEquals(AgeClass.SUBADULT, a.ageClassToday(), "14 months on");
            assertEquals(LocalDate.parse("2026-06-01"), a.today());

            Profiles.Encounters e = a.encounters();
            assertEquals(5, e.sightings());
            assertEquals(4, e.independentEvents());
            assertEquals(2, e.sites());
            assertEquals(at("2026-01-10T06:00:00Z"), e.firstSeen());
            assertEquals(at("2026-04-20T10:00:00Z"), e.lastSeen());
            assertEquals(41, e.daysSinceLastSeen());
            assertTrue(!e.presumedGone());

            assertEquals(List.of("north", "south"), a.sites().stream().map(Profiles.SiteVisits::siteId).toList());
            Profiles.SiteVisits north = a.sites().get(0);
            assertEquals(-24.0, north.latitude());
            assertEquals(31.5, north.longitude());
            assertEquals(4, north.sightings());
            assertEquals(3, north.independentEvents());
            assertEquals(List.of("cam1", "cam2"), north.cameras().stream().map(Profiles.CameraVisits::cameraId).toList());
            assertEquals(3, north.cameras().get(0).sightings());
            assertEquals(2, north.cameras().get(0).independentEvents());
            assertEquals(-25.25, a.sites().get(1).latitude());

            assertEquals(List.of(new Profiles.SeasonEncounter("wet", DemographyTopologyTest.WET.start(), DemographyTopologyTest.WET.end(), 4, true),
                    new Profiles.SeasonEncounter("dry", DemographyTopologyTest.DRY.start(), DemographyTopologyTest.DRY.end(), 1, true)),
                    a.seasons());
            assertEquals(List.of(new Profiles.Crop("a1", "http://identifier.test:8084/api/sightings/a1/crop.jpg"),
                    new Profiles.Crop("frame-7:1", "http://identifier.test:8084/api/sightings/frame-7%3A1/crop.jpg")),
                    a.referenceCrops());

            Profiles.Encounters later = counts.profile("A", at("2026-07-20T10:00:00Z")).orElseThrow().encounters();
            assertEquals(91, later.daysSinceLastSeen());
            assertTrue(later.presumedGone(), "91 days unseen, 90 allowed");
            assertTrue(counts.profile("nobody", at("2026-06-01T00:00:00Z")).isEmpty(), "an unknown individual");
        }
    }

    /**
     * B (b1, north cam3, 1 March) merged into A (a1, north cam1, 10 January): A has 2 sightings, 2 events;
     * B says MERGED into A and has none. Then C split from A with b1: A 1 sighting, C 1 at cam3.
     */
    @Test
    void theProfileFollowsAMergeAndASplit(@TempDir Path state) {
        try (CountsDriver counts = new CountsDriver(state, TWO_SITES, DemographyTopologyTest.SETTINGS)) {
            counts.send(seen("a1", "north", "cam1", "2026-01-10T06:00:00Z", "A"), seen("b1", "north", "cam3", "2026-03-01T06:00:00Z", "B"));
            counts.send(individual("A", IndividualStatus.CONFIRMED, null, at("2026-05-01T00:00:00Z"), "a1"),
                    individual("B", IndividualStatus.CONFIRMED, null, at("2026-05-01T00:00:00Z"), "b1"));
            counts.send(individual("B", IndividualStatus.MERGED, "A", at("2026-05-02T00:00:00Z")),
                    individual("A", IndividualStatus.CONFIRMED, null, at("2026-05-02T00:00:00Z"), "a1", "b1"));
            var now = at("2026-06-01T00:00:00Z");
            Profiles.Profile a = counts.profile("A", now).orElseThrow();
            assertEquals(2, a.encounters().sightings());
            assertEquals(2, a.encounters().independentEvents());
            assertEquals(List.of("cam1", "cam3"), a.sites().get(0).cameras().stream().map(Profiles.CameraVisits::cameraId).toList());
            Profiles.Profile b = counts.profile("B", now).orElseThrow();
            assertEquals("MERGED", b.status());
            assertEquals("A", b.mergedInto());
            assertEquals(0, b.encounters().sightings());
            assertEquals(List.of(), b.sites());

            counts.send(IndividualUpdate.newBuilder(individual("C", IndividualStatus.PROVISIONAL, null, at("2026-05-03T00:00:00Z"), "b1"))
                    .setSplitFrom("A").build(), individual("A", IndividualStatus.CONFIRMED, null, at("2026-05-03T00:00:00Z"), "a1"));
            assertEquals(1, counts.profile("A", now).orElseThrow().encounters().sightings());
            Profiles.Profile c = counts.profile("C", now).orElseThrow();
            assertEquals(1, c.encounters().sightings());
            assertEquals("cam3", c.sites().get(0).cameras().get(0).cameraId());
        }
    }

}
