package org.trapline.aggregator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class SpeciesListTest {

    static SiteQueries.SiteSpecies species(String label, String scientificName, long sightings, long events) {
        return new SiteQueries.SiteSpecies(label, scientificName, sightings, events, events, 0, null, true);
    }

    /**
     * The demo's mix: the detector's "animal" (no scientific name) and the classifier's coarse "bird" (Aves)
     * are seen most, yet the page opens on the species seen most among those named to species: the domestic
     * cat, 3 + 1 events at two sites, ahead of the black stork's 2 and the cougar's 1.
     */
    @Test
    void theSpeciesSeenMostAmongThoseNamedToSpeciesComesFirst() {
        SpeciesList.Answer answer = SpeciesList.of(List.of(
                List.of(species("animal", null, 9, 7), species("bird", "Aves", 6, 6), species("domestic cat", "Felis catus", 4, 3),
                        species("black stork", "Ciconia nigra", 2, 2)),
                List.of(species("domestic cat", "Felis catus", 1, 1), species("cougar", "Puma concolor", 1, 1))));
        assertEquals("domestic cat", answer.preferred());
        assertEquals(List.of("animal", "bird", "black stork", "cougar", "domestic cat"),
                answer.species().stream().map(SpeciesList.Species::species).toList(), "by label");
        SpeciesList.Species cat = answer.species().get(4);
        assertEquals(new SpeciesList.Species("domestic cat", "Felis catus", true, 5, 4, 2), cat, "summed over its two sites");
        assertFalse(answer.species().get(1).namedToSpecies(), "Aves is a class");
        assertNull(answer.species().get(0).scientificName(), "the detector's label");
    }

    /** Without a species, a name the classifier gave (however coarse) before the detector's label; then the most detected. */
    @Test
    void withoutASpeciesTheClassifiersNameComesBeforeTheDetectorsLabel() {
        assertEquals("bird", SpeciesList.of(List.of(List.of(species("animal", null, 9, 7), species("bird", "Aves", 2, 2),
                species("cat family", "Felidae", 1, 1)))).preferred());
        assertEquals("animal", SpeciesList.of(List.of(List.of(species("animal", null, 9, 7), species("dog", null, 3, 3))))
                .preferred(), "only the detector's labels: the most detected");
        // equal events: more sightings, then the label, decide
        assertEquals("impala", SpeciesList.of(List.of(List.of(species("leopard", "Panthera pardus", 3, 2),
                species("impala", "Aepyceros melampus", 5, 2), species("warthog", "Phacochoerus africanus", 5, 2)))).preferred());
        assertNull(SpeciesList.of(List.of(List.of(), List.of())).preferred(), "nothing counted yet");
    }

    @Test
    void aBinomialOrMoreNamesASpecies() {
        assertTrue(SpeciesList.namedToSpecies("Canis familiaris"));
        assertTrue(SpeciesList.namedToSpecies("Panthera leo melanochaita"));
        assertFalse(SpeciesList.namedToSpecies("Canis"));
        assertFalse(SpeciesList.namedToSpecies(" Animalia "));
        assertFalse(SpeciesList.namedToSpecies(null));
    }

    /** One site's latest "animal" was the detector's (no name), another's the classifier's: the name is kept. */
    @Test
    void aNameBeatsNoneWhereSitesDiffer() {
        SpeciesList.Species animal = SpeciesList.of(List.of(List.of(species("animal", null, 2, 2)),
                List.of(species("animal", "Animalia", 1, 1)))).species().get(0);
        assertEquals("Animalia", animal.scientificName());
        assertEquals(3, animal.sightings());
    }
}
