package org.trapline.species.taxonomy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class TaxonTest {

    static final Taxon COUGAR = Taxon.of("Mammalia", "Carnivora", "Felidae", "Puma", "concolor");

    @Test
    void ranksAndNames() {
        assertEquals(Rank.SPECIES, COUGAR.rank());
        assertEquals("Puma concolor", COUGAR.scientificName());
        assertEquals(Rank.FAMILY, Taxon.of("Mammalia", "Carnivora", "Felidae", "", "").rank());
        assertEquals("Felidae", Taxon.of("Mammalia", "Carnivora", "Felidae", "", "").scientificName());
        assertEquals(Rank.KINGDOM, Taxon.ANIMALIA.rank());
        assertEquals("Animalia", Taxon.ANIMALIA.scientificName());
    }

    @Test
    void speciesNetsLowerCaseNamesTheSameTaxon() {
        Taxon lower = Taxon.of("mammalia", "carnivora", "felidae", "puma", "concolor");
        assertEquals(COUGAR, lower);
        assertEquals("mammalia;carnivora;felidae;puma;concolor", COUGAR.taxonomyString());
    }

    @Test
    void theFiveFieldFormReadsBackAsTheSameTaxon() {
        for (Taxon t : List.of(COUGAR, COUGAR.at(Rank.FAMILY).orElseThrow(), Taxon.ANIMALIA,
                Taxon.of("Mammalia", null, "Felidae", null, null))) {
            assertEquals(t, Taxon.parse(t.taxonomyString()), t.taxonomyString());
        }
        assertThrows(IllegalArgumentException.class, () -> Taxon.parse("mammalia;carnivora;felidae"));
        assertThrows(IllegalArgumentException.class, () -> Taxon.parse("mammalia;carnivora;felidae;;concolor"),
                "an epithet without a genus");
    }

    @Test
    void ancestorsAtEachRank() {
        assertEquals(Optional.of(Taxon.of("Mammalia", "Carnivora", "Felidae", "Puma", null)), COUGAR.at(Rank.GENUS));
        assertEquals(Optional.of(Taxon.of("Mammalia", null, null, null, null)), COUGAR.at(Rank.CLASS));
        assertEquals(Optional.of(Taxon.ANIMALIA), COUGAR.at(Rank.KINGDOM));
        Taxon felidae = COUGAR.at(Rank.FAMILY).orElseThrow();
        assertEquals(Optional.empty(), felidae.at(Rank.GENUS), "a family has no genus");
        // a gap in the label (SpeciesNet's files allow one): no ancestor at that rank
        assertEquals(Optional.empty(), Taxon.of("Reptilia", null, "Colubridae", null, null).at(Rank.ORDER));
    }

    @Test
    void containsAndCompatible() {
        Taxon felidae = COUGAR.at(Rank.FAMILY).orElseThrow();
        Taxon lynx = Taxon.of("Mammalia", "Carnivora", "Felidae", "Lynx", null);
        assertTrue(felidae.contains(COUGAR));
        assertFalse(COUGAR.contains(felidae));
        assertTrue(COUGAR.compatibleWith(felidae));
        assertTrue(Taxon.ANIMALIA.contains(COUGAR));
        assertFalse(lynx.compatibleWith(COUGAR));
    }

    @Test
    void aSpeciesNeedsItsGenus() {
        assertThrows(IllegalArgumentException.class, () -> Taxon.of("Mammalia", "Carnivora", "Felidae", "", "concolor"));
    }
}
