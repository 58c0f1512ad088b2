package org.trapline.detector.species;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.trapline.species.AnimalBox;
import org.trapline.species.FrameBoxes;
import org.trapline.species.SpeciesSettings;
import org.trapline.species.SpeciesStage;
import org.trapline.species.result.Flag;
import org.trapline.species.result.SpeciesResult;
import org.trapline.species.rollup.Place;
import org.trapline.species.taxonomy.LabelKind;
import org.trapline.species.taxonomy.Rank;
import org.trapline.species.taxonomy.Taxon;

/**
 * The stage with its default settings, the real stand-in classifier on real pictures as the detector
 * decodes them, the boxes found by the detector's real network.
 */
class SpeciesStageTest {

    static final Taxon FELIDAE = Taxon.of("Mammalia", "Carnivora", "Felidae", null, null);
    static final Taxon CICONIA = Taxon.of("Aves", "Ciconiiformes", "Ciconiidae", "Ciconia", null);

    static TestModels models;

    @BeforeAll
    static void load() throws Exception {
        models = new TestModels();
    }

    @AfterAll
    static void close() {
        models.close();
    }

    static BufferedImage picture(String path) throws Exception {
        return models.read(models.shared.images().resolve(path));
    }

    static SpeciesResult onTheAnimal(String path, Place place) throws Exception {
        BufferedImage frame = picture(path);
        AnimalBox box = models.bestAnimalBox(frame).orElseThrow(() -> new AssertionError("the detector finds no animal on " + path));
        SpeciesResult result = models.stage.classify(frame, List.of(box), place).get(0);
        System.out.println(path + ": " + result + " top 5 " + result.top5());
        return result;
    }

    @Test
    void theCougarIsACougarOrAtLeastACat() throws Exception {
        SpeciesResult cougar = onTheAnimal("camera-traps/idaho-camera-traps.jpg", Place.UNKNOWN);
        assertEquals(LabelKind.ANIMAL, cougar.kind());
        assertTrue(!cougar.rank().finerThan(Rank.SPECIES) && !Rank.FAMILY.finerThan(cougar.rank()),
                "rolled up no further than the family: " + cougar);
        assertTrue(FELIDAE.contains(cougar.taxon()), "a cat: " + cougar);
        if (cougar.rank() == Rank.SPECIES) {
            assertEquals("Puma concolor", cougar.scientificName());
        }
        assertEquals("mobilenetv2-12-int8-features", cougar.classifier().name());
    }

    @Test
    void theBlackStorkIsABlackStorkOrAtLeastAStork() throws Exception {
        SpeciesResult stork = onTheAnimal("camera-traps/mike_6b6435a8-7b5a-4e14-bb50-8bceb26ca0e6.JPG", Place.UNKNOWN);
        assertTrue(CICONIA.contains(stork.taxon()), "Ciconia nigra or Ciconia: " + stork);
        assertTrue(stork.rank() == Rank.SPECIES || stork.rank() == Rank.GENUS, stork.toString());
        if (stork.rank() == Rank.SPECIES) {
            assertEquals("Ciconia nigra", stork.scientificName());
        }
    }

    @Test
    void theDogIsADomesticDogNeverABreed() throws Exception {
        SpeciesResult dog = onTheAnimal("animals/dog.jpg", Place.UNKNOWN);
        assertEquals("Canis familiaris", dog.scientificName());
        assertEquals(Rank.SPECIES, dog.rank());
        assertEquals("domestic dog", dog.label());
        // the classifier's own classes are breeds: they stay in the top 5, never in the answer
        assertTrue(dog.top5().stream().allMatch(c -> "Canis familiaris".equals(c.scientificName()) || c.score() < 0.1), dog.top5().toString());
        assertNotEquals(dog.top5().get(0).label(), dog.label());
    }

    @Test
    void aCougarWhereOnlyLynxesLiveIsACat() throws Exception {
        SpeciesSettings fenced = SpeciesSettings.fromConfig(org.trapline.config.TraplineConfig.of(Map.of(
                "models.dir", models.shared.models().toString(),
                "species.geofence.site.somewhere-else", "Lynx, Canis latrans")));
        try (SpeciesStage stage = new SpeciesStage(fenced, org.trapline.species.model.ClassifierModel.load(fenced.model()))) {
            BufferedImage frame = picture("camera-traps/idaho-camera-traps.jpg");
            AnimalBox box = models.bestAnimalBox(frame).orElseThrow();
            SpeciesResult there = stage.classify(frame, List.of(box), new Place("somewhere-else", null)).get(0);
            SpeciesResult here = stage.classify(frame, List.of(box), new Place("idaho", "USA")).get(0);
            System.out.println("geofenced: " + there + "; not: " + here);
            assertEquals("Puma concolor", here.scientificName(), "no allow-list: the cougar");
            // the cougar's score is not named, but counts for the cat family, which the lynxes make known there
            assertEquals("Felidae", there.scientificName());
            assertEquals(Rank.FAMILY, there.rank());
            assertTrue(there.flags().contains(Flag.GEOFENCED), there.toString());
            assertTrue(there.source().contains("+geofence"), there.source());
        }
    }

    @Test
    void emptyFramesGiveNoSpecies() throws Exception {
        List<Path> empties;
        try (var files = Files.list(models.shared.images().resolve("camera-traps-empty"))) {
            empties = files.filter(f -> f.toString().endsWith(".jpg")).sorted().toList();
        }
        assertEquals(4, empties.size());
        for (Path empty : empties) {
            BufferedImage frame = models.read(empty);
            // in the pipeline the stage sees only the detector's animal boxes: none here, so nothing at all
            List<AnimalBox> boxes = models.animalBoxes(frame);
            assertEquals(List.of(), boxes, empty.getFileName().toString());
            assertEquals(List.of(), models.stage.classify(frame, boxes, Place.UNKNOWN));
            // and what the classifier makes of the whole frame, with no detection behind it: no species
            SpeciesResult whole = models.stage.classify(frame, List.of(AnimalBox.wholeFrame()), Place.UNKNOWN).get(0);
            System.out.println(empty.getFileName() + " whole frame: " + whole + " top 5 " + whole.top5());
            assertNotEquals(Rank.SPECIES, whole.rank(), empty.getFileName() + ": " + whole);
            assertNotEquals(Rank.GENUS, whole.rank(), empty.getFileName() + ": " + whole);
        }
    }

    @Test
    void theCropsOfSeveralFramesGoThroughTogether() throws Exception {
        BufferedImage cougar = picture("camera-traps/idaho-camera-traps.jpg");
        BufferedImage stork = picture("camera-traps/mike_6b6435a8-7b5a-4e14-bb50-8bceb26ca0e6.JPG");
        List<AnimalBox> cougarBoxes = models.animalBoxes(cougar);
        List<AnimalBox> storkBoxes = models.animalBoxes(stork);
        List<List<SpeciesResult>> together = models.stage.classifyFrames(List.of(
                new FrameBoxes(cougar, cougarBoxes, Place.UNKNOWN), new FrameBoxes(stork, storkBoxes, Place.UNKNOWN)));
        assertEquals(models.stage.classify(cougar, cougarBoxes, Place.UNKNOWN).stream().map(SpeciesResult::taxon).toList(),
                together.get(0).stream().map(SpeciesResult::taxon).toList());
        assertEquals(models.stage.classify(stork, storkBoxes, Place.UNKNOWN).stream().map(SpeciesResult::taxon).toList(),
                together.get(1).stream().map(SpeciesResult::taxon).toList());
    }
}
