package org.trapline.corrections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.trapline.schema.BoundingBox;
import org.trapline.schema.Correction;
import org.trapline.schema.CorrectionKind;

class CorrectionRulesTest {

    static Correction.Builder correction(CorrectionKind kind) {
        return Correction.newBuilder().setCorrectionId("c1").setFrameId("f1").setSiteId("north").setCameraId("cam1")
                .setCaptureTime(Instant.EPOCH).setKind(kind).setReviewer("amara").setDecidedAt(Instant.EPOCH);
    }

    @Test
    void scientificNamesAreBinomialsTrinomialsOrOneCapitalisedWord() {
        for (String name : new String[] {"Leopardus pardalis", "Panthera leo persica", "Felidae", "Aves", "Canis lupus-familiaris"}) {
            assertTrue(CorrectionRules.scientificName(name), name);
        }
        for (String name : new String[] {"ocelot", "leopardus pardalis", "Leopardus Pardalis", "Felis catus 2", "", " Aves",
                "Panthera leo persica extra", "<script>"}) {
            assertFalse(CorrectionRules.scientificName(name), name);
        }
    }

    @Test
    void eachKindNeedsWhatItSays() {
        assertEquals(Optional.empty(), CorrectionRules.problem(correction(CorrectionKind.EMPTY).build()));
        assertEquals(Optional.empty(), CorrectionRules.problem(correction(CorrectionKind.ANIMAL_PRESENT).build()),
                "an animal, species unknown: counted as Animalia");
        assertEquals(Optional.of("SPECIES corrects a sighting: it needs its sightingId"),
                CorrectionRules.problem(correction(CorrectionKind.SPECIES).setScientificName("Felidae").build()));
        assertEquals(Optional.of("SPECIES needs a scientificName"),
                CorrectionRules.problem(correction(CorrectionKind.SPECIES).setSightingId("f1:0").build()));
        assertTrue(CorrectionRules.problem(correction(CorrectionKind.SPECIES).setSightingId("f1:0").setScientificName("ocelot")
                .build()).orElseThrow().startsWith("'ocelot' is not a scientific name"));
        assertEquals(Optional.of("COUNT needs a count"),
                CorrectionRules.problem(correction(CorrectionKind.COUNT).setSightingId("f1:0").build()));
        assertTrue(CorrectionRules.problem(correction(CorrectionKind.COUNT).setSightingId("f1:0").setCount(0).build())
                .orElseThrow().startsWith("a count is 1 to 10000 animals"));
        assertEquals(Optional.of("BOX_ADDED needs its bbox"),
                CorrectionRules.problem(correction(CorrectionKind.BOX_ADDED).setScientificName("Aves").build()));
        assertTrue(CorrectionRules.problem(correction(CorrectionKind.BOX_ADDED).setScientificName("Aves")
                .setBbox(new BoundingBox(0.8f, 0.1f, 0.5f, 0.2f)).build()).orElseThrow().startsWith("a bbox is"),
                "a box running off the image");
        assertEquals(Optional.empty(), CorrectionRules.problem(correction(CorrectionKind.BOX_ADDED).setScientificName("Aves")
                .setBbox(new BoundingBox(0.5f, 0.1f, 0.5f, 0.2f)).build()));
        assertEquals(Optional.of("a correction needs its id, frame, site, camera and reviewer"),
                CorrectionRules.problem(correction(CorrectionKind.EMPTY).setReviewer(" ").build()));
    }
}
