package org.trapline.species.rollup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.trapline.schema.DetectionCategory;
import org.trapline.species.result.ClassifierInfo;
import org.trapline.species.result.Flag;
import org.trapline.species.result.SpeciesResult;
import org.trapline.species.taxonomy.LabelKind;
import org.trapline.species.taxonomy.LabelMap;
import org.trapline.species.taxonomy.Rank;
import org.trapline.species.SampleLabels;
import org.trapline.species.taxonomy.Taxon;

/**
 * Constructed score vectors over a SpeciesNet-format label file, each rolled up exactly as computed by
 * hand. The classes (see {@code speciesnet-format.labels.txt}): 0 puma, 1 bobcat, 2 canada lynx,
 * 3 lynx species, 4 coyote, 5 red fox, 6 mule deer, 7 rodent, 8 bird, 9 blank, 10 animal, 11 human,
 * 12 vehicle, 13 no cv result, 14 domestic cat, 15 Hylomyscus stella.
 */
class RollupTest {

    static final int PUMA = 0, BOBCAT = 1, CANADA_LYNX = 2, LYNX = 3, COYOTE = 4, RED_FOX = 5, MULE_DEER = 6,
            RODENT = 7, BIRD = 8, BLANK = 9, ANIMAL = 10, HUMAN = 11, VEHICLE = 12, DOMESTIC_CAT = 14;

    static LabelMap labels;
    static Rollup rollup;

    @BeforeAll
    static void load() throws Exception {
        labels = SampleLabels.speciesNetFormat();
        rollup = new Rollup(labels, Thresholds.speciesNet(), new ClassifierInfo("test-classifier", "4.0.1a"));
    }

    static float[] scores(Map<Integer, Double> given) {
        float[] p = new float[labels.size()];
        double sum = 0;
        for (var e : given.entrySet()) {
            p[e.getKey()] = e.getValue().floatValue();
            sum += e.getValue();
        }
        assertEquals(1.0, sum, 1e-6, "a probability vector");
        return p;
    }

    static SpeciesResult animalBox(float[] p) {
        return rollup.decide(p, DetectionCategory.ANIMAL, 0.9f, Optional.empty());
    }

    @Test
    void aSpeciesAboveItsThresholdIsTheAnswer() {
        SpeciesResult r = animalBox(scores(Map.of(PUMA, 0.80, BOBCAT, 0.15, BLANK, 0.05)));
        assertEquals(Taxon.of("mammalia", "carnivora", "felidae", "puma", "concolor"), r.taxon());
        assertEquals(Rank.SPECIES, r.rank());
        assertEquals("puma", r.label());
        assertEquals("Puma concolor", r.scientificName());
        assertEquals(0.80, r.score(), 1e-6);
        assertEquals("classifier", r.source());
        assertEquals(Set.of(), r.flags());
        assertEquals(new ClassifierInfo("test-classifier", "4.0.1a"), r.classifier());
    }

    @Test
    void speciesBelowItsThresholdRollsUpToTheGenusAboveIt() {
        // species: bobcat 0.40 is the best, below 0.65
        // genus Lynx: bobcat 0.40 + canada lynx 0.20 + lynx species 0.10 = 0.70, above 0.65
        SpeciesResult r = animalBox(scores(Map.of(BOBCAT, 0.40, CANADA_LYNX, 0.20, LYNX, 0.10, PUMA, 0.15,
                COYOTE, 0.05, MULE_DEER, 0.05, BLANK, 0.05)));
        assertEquals(Taxon.of("mammalia", "carnivora", "felidae", "lynx", null), r.taxon());
        assertEquals(Rank.GENUS, r.rank());
        assertEquals(0.70, r.score(), 1e-6);
        assertEquals("classifier+rollup_to_genus", r.source());
        assertEquals("lynx species", r.label(), "SpeciesNet's own label for the genus");
        assertEquals("bobcat", r.top5().get(0).label());
        assertEquals("Lynx rufus", r.top5().get(0).scientificName());
        assertEquals(0.40, r.top5().get(0).score(), 1e-6);
        assertEquals(5, r.top5().size());
    }

    @Test
    void noGenusClearsSoTheFamilyDoes() {
        // genus Lynx 0.30 + 0.05 = 0.35, Puma 0.30, Felis 0.10; family Felidae 0.75
        SpeciesResult r = animalBox(scores(Map.of(BOBCAT, 0.30, CANADA_LYNX, 0.05, PUMA, 0.30, DOMESTIC_CAT, 0.10,
                COYOTE, 0.20, BLANK, 0.05)));
        assertEquals("Felidae", r.scientificName());
        assertEquals(Rank.FAMILY, r.rank());
        assertEquals(0.75, r.score(), 1e-6);
        assertEquals("classifier+rollup_to_family", r.source());
        assertEquals("family Felidae", r.label());
    }

    @Test
    void spreadOverClassesTheAnswerIsAnAnimal() {
        // best class Mammalia 0.2 + 0.1 + 0.1 + 0.05 = 0.45, Aves 0.30; kingdom: every animal class, "animal" too, 0.80
        SpeciesResult r = animalBox(scores(Map.of(BIRD, 0.30, RODENT, 0.20, PUMA, 0.10, MULE_DEER, 0.10, COYOTE, 0.05,
                ANIMAL, 0.05, BLANK, 0.20)));
        assertEquals(Taxon.ANIMALIA, r.taxon());
        assertEquals(Rank.KINGDOM, r.rank());
        assertEquals(0.80, r.score(), 1e-6);
        assertEquals("classifier+rollup_to_kingdom", r.source());
        assertEquals("animal", r.label());
    }

    @Test
    void theThresholdsArePerRank() {
        Map<Rank, Float> ranks = new java.util.EnumMap<>(Rank.class);
        for (Rank rank : Rank.values()) {
            ranks.put(rank, 0.65f);
        }
        ranks.put(Rank.SPECIES, 0.35f);
        Rollup lenient = new Rollup(labels, new Thresholds(ranks, 0.5f, 0.99f), new ClassifierInfo("c", "1"));
        float[] p = scores(Map.of(BOBCAT, 0.40, CANADA_LYNX, 0.20, LYNX, 0.10, PUMA, 0.15, COYOTE, 0.05, MULE_DEER, 0.05, BLANK, 0.05));
        SpeciesResult r = lenient.decide(p, DetectionCategory.ANIMAL, 0.9f, Optional.empty());
        assertEquals("Lynx rufus", r.scientificName());
        assertEquals(Rank.SPECIES, r.rank());
    }

    @Test
    void aGeofencedSpeciesIsNotNamedButItsScoreCountsAbove() {
        AllowList idaho = AllowList.parse(List.of("Lynx canadensis, Canis latrans"), labels);
        // bobcat 0.70 would clear at species; not known here, so the genus: Lynx 0.70 + 0.10 = 0.80 (Lynx known: canada lynx)
        SpeciesResult r = rollup.decide(scores(Map.of(BOBCAT, 0.70, CANADA_LYNX, 0.10, PUMA, 0.15, BLANK, 0.05)),
                DetectionCategory.ANIMAL, 0.9f, Optional.of(idaho));
        assertEquals("Lynx", r.scientificName());
        assertEquals(0.80, r.score(), 1e-6);
        assertEquals("classifier+geofence+rollup_to_genus", r.source());
        assertEquals(Set.of(Flag.GEOFENCED), r.flags());

        // only the coyote known: a puma goes up to what the place knows, the order Carnivora (0.90 + 0.05)
        AllowList coyotesOnly = AllowList.parse(List.of("Canis latrans"), labels);
        SpeciesResult p = rollup.decide(scores(Map.of(PUMA, 0.90, COYOTE, 0.05, BLANK, 0.05)),
                DetectionCategory.ANIMAL, 0.9f, Optional.of(coyotesOnly));
        assertEquals("Carnivora", p.scientificName());
        assertEquals(0.95, p.score(), 1e-6);
        assertEquals("classifier+geofence+rollup_to_order", p.source());
    }

    @Test
    void theClassifiersBlankAgainstTheDetectorsAnimalIsFlagged() {
        // blank 0.70, above 0.5: flagged; below the override 0.99: the detector's "animal" stands
        SpeciesResult r = animalBox(scores(Map.of(BLANK, 0.70, PUMA, 0.20, BIRD, 0.10)));
        assertEquals(LabelKind.ANIMAL, r.kind());
        assertEquals(Taxon.ANIMALIA, r.taxon());
        assertEquals("detector", r.source());
        assertEquals(0.9f, r.score());
        assertEquals(Set.of(Flag.CLASSIFIER_SAYS_BLANK), r.flags());

        SpeciesResult sure = animalBox(scores(Map.of(BLANK, 0.995, PUMA, 0.005)));
        assertEquals(LabelKind.BLANK, sure.kind());
        assertEquals("blank", sure.label());
        assertNull(sure.taxon());
        assertNull(sure.rank());
        assertEquals(Set.of(Flag.CLASSIFIER_SAYS_BLANK), sure.flags());
    }

    @Test
    void humanAndVehicleAnswersAreComparedWithTheDetector() {
        float[] human = scores(Map.of(HUMAN, 0.80, PUMA, 0.20));
        SpeciesResult agreeing = rollup.decide(human, DetectionCategory.PERSON, 0.6f, Optional.empty());
        assertEquals(LabelKind.HUMAN, agreeing.kind());
        assertEquals(Set.of(), agreeing.flags());
        SpeciesResult disagreeing = rollup.decide(human, DetectionCategory.ANIMAL, 0.6f, Optional.empty());
        assertEquals(Set.of(Flag.CLASSIFIER_SAYS_HUMAN), disagreeing.flags());
        assertEquals(Taxon.ANIMALIA, disagreeing.taxon(), "the detector's category stands below the override");

        SpeciesResult vehicle = rollup.decide(scores(Map.of(VEHICLE, 0.80, PUMA, 0.20)), DetectionCategory.ANIMAL, 0.6f, Optional.empty());
        assertEquals(Set.of(Flag.CLASSIFIER_SAYS_VEHICLE), vehicle.flags());

        SpeciesResult animalInVehicleBox = rollup.decide(scores(Map.of(COYOTE, 0.90, VEHICLE, 0.10)),
                DetectionCategory.VEHICLE, 0.6f, Optional.empty());
        assertEquals("Canis latrans", animalInVehicleBox.scientificName());
        assertEquals(Set.of(Flag.CLASSIFIER_SAYS_ANIMAL), animalInVehicleBox.flags());
    }

    @Test
    void humanScoresNeverMakeAnAnimal() {
        // the human label has Homo sapiens's taxonomy in SpeciesNet's file; it must not count for Mammalia
        SpeciesResult r = rollup.decide(scores(Map.of(HUMAN, 0.45, RODENT, 0.30, BLANK, 0.25)), null, 0, Optional.empty());
        assertEquals(LabelKind.UNKNOWN, r.kind(), "mammals 0.30, animals 0.30, human 0.45, blank 0.25: nothing clears");
    }

    @Test
    void aWholeFrameWithoutDetection() {
        SpeciesResult blank = rollup.decide(scores(Map.of(BLANK, 0.60, PUMA, 0.40)), null, 0, Optional.empty());
        assertEquals(LabelKind.BLANK, blank.kind());
        assertEquals(Set.of(), blank.flags(), "no detection to disagree with");
        SpeciesResult unknown = rollup.decide(scores(Map.of(BLANK, 0.40, PUMA, 0.30, BIRD, 0.30)), null, 0, Optional.empty());
        assertEquals(LabelKind.UNKNOWN, unknown.kind());
        assertEquals("classifier", unknown.source());
    }

    @Test
    void scoresForAnotherLabelFileAreRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> rollup.decide(new float[1000], DetectionCategory.ANIMAL, 0.5f, Optional.empty()));
        assertTrue(e.getMessage().contains("1000 scores"), e.getMessage());
    }
}
