package org.trapline.species.rollup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.trapline.species.taxonomy.LabelMap;
import org.trapline.species.SampleLabels;
import org.trapline.species.taxonomy.Taxon;

class AllowListTest {

    @Test
    void aListedTaxonItsAncestorsAndDescendantsAreKnown() throws Exception {
        LabelMap labels = SampleLabels.speciesNetFormat();
        AllowList list = AllowList.parse(List.of("# Idaho", "Puma concolor, Lynx", "mammalia;carnivora;canidae;canis;latrans",
                "Ursus arctos  # no label for it"), labels);
        assertTrue(list.knows(Taxon.of("mammalia", "carnivora", "felidae", "puma", "concolor")));
        assertTrue(list.knows(Taxon.of("mammalia", "carnivora", "felidae", null, null)), "the family of a listed species");
        assertTrue(list.knows(Taxon.of("mammalia", "carnivora", "felidae", "lynx", "rufus")), "under a listed genus");
        assertTrue(list.knows(Taxon.of("mammalia", "carnivora", "canidae", "canis", "latrans")));
        assertTrue(list.knows(Taxon.ANIMALIA));
        assertFalse(list.knows(Taxon.of("mammalia", "carnivora", "canidae", "vulpes", "vulpes")));
        assertFalse(list.knows(Taxon.of("mammalia", "carnivora", "felidae", "felis", "catus")));
        assertEquals(List.of("Ursus arctos"), list.unresolved());
    }

    @Test
    void aSitesListWinsOverItsCountrys() throws Exception {
        LabelMap labels = SampleLabels.speciesNetFormat();
        AllowList site = AllowList.parse(List.of("Puma concolor"), labels);
        AllowList country = AllowList.parse(List.of("Canis latrans"), labels);
        Geofence geofence = new Geofence(Map.of("north", site), Map.of("USA", country));
        assertEquals(Optional.of(site), geofence.forPlace(new Place("north", "USA")));
        assertEquals(Optional.of(country), geofence.forPlace(new Place("south", "usa")));
        assertEquals(Optional.empty(), geofence.forPlace(new Place("south", null)));
        assertEquals(Optional.empty(), Geofence.NONE.forPlace(new Place("north", "USA")));
    }
}
