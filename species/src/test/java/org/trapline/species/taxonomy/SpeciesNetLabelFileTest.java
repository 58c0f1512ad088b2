package org.trapline.species.taxonomy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** A label file in SpeciesNet's format, its special labels included, parses into labels and taxa. */
class SpeciesNetLabelFileTest {

    static LabelMap sample() throws Exception {
        return org.trapline.species.SampleLabels.speciesNetFormat();
    }

    @Test
    void everyLineIsALabelInOrder() throws Exception {
        LabelMap labels = sample();
        assertEquals(16, labels.size());
        Label puma = labels.label(0);
        assertEquals("5c7ce479-8a45-40b3-ae21-7c97dfae22f5", puma.id());
        assertEquals(LabelKind.ANIMAL, puma.kind());
        assertEquals(Taxon.of("Mammalia", "Carnivora", "Felidae", "Puma", "concolor"), puma.taxon());
        assertEquals("Puma concolor", puma.taxon().scientificName());
        assertEquals("puma", puma.commonName());
        assertEquals(Rank.GENUS, labels.label(3).taxon().rank(), "lynx species is a genus label");
        assertEquals(Rank.ORDER, labels.label(7).taxon().rank(), "rodent");
        assertEquals(Rank.CLASS, labels.label(8).taxon().rank(), "bird");
    }

    @Test
    void theSpecialLabels() throws Exception {
        LabelMap labels = sample();
        assertEquals(LabelKind.BLANK, labels.label(9).kind());
        assertEquals(LabelKind.ANIMAL, labels.label(10).kind());
        assertEquals(Taxon.ANIMALIA, labels.label(10).taxon());
        assertEquals(LabelKind.HUMAN, labels.label(11).kind(), "a human is never an animal answer");
        assertNull(labels.label(11).taxon());
        assertEquals(LabelKind.VEHICLE, labels.label(12).kind());
        assertEquals(LabelKind.UNKNOWN, labels.label(13).kind());
        assertEquals("Hylomyscus stella", labels.label(15).commonName(), "no common name: the scientific name");
    }

    @Test
    void higherTaxaAreNamedByTheirOwnLabel() throws Exception {
        LabelMap labels = sample();
        assertEquals("lynx species", labels.commonName(Taxon.of("mammalia", "carnivora", "felidae", "lynx", null)));
        assertEquals("family Felidae", labels.commonName(Taxon.of("mammalia", "carnivora", "felidae", null, null)));
        assertEquals("animal", labels.commonName(Taxon.ANIMALIA));
        assertEquals(Taxon.of("mammalia", "carnivora", "felidae", "lynx", "rufus"), labels.find("Lynx rufus").orElseThrow());
        assertEquals(Taxon.of("mammalia", "carnivora", "canidae", null, null), labels.find("canidae").orElseThrow());
    }

    @Test
    void aMalformedLineIsRefusedWithItsNumber() {
        var e = assertThrows(IllegalArgumentException.class, () -> SpeciesNetLabelFile.parse(List.of(
                "f1856211-cfb7-4a5b-9158-c0f72fd09ee6;;;;;;blank",
                "5c7ce479;mammalia;carnivora;felidae;puma;puma"), "test.labels"));
        assertTrue(e.getMessage().contains("test.labels line 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SpeciesNetLabelFile.parse(List.of(
                "x;;;;;;bird"), "test.labels"), "no taxon, and not a special label");
        assertThrows(IllegalArgumentException.class, () -> SpeciesNetLabelFile.parse(List.of(
                "x;;;;;;blank", "", "y;;;;;;animal"), "test.labels"), "an empty line would shift the classes");
    }
}
