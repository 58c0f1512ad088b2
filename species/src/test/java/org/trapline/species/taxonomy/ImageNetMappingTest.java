package org.trapline.species.taxonomy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.trapline.localstack.samples.SharedData;

/**
 * The shipped mapping of ImageNet's 1000 classes: every vertebrate class of the land (mammals, birds,
 * reptiles, amphibians) is an animal of its class, breeds and house cats are their species, and no
 * object ever becomes an animal.
 */
class ImageNetMappingTest {

    static Path labelList;
    static LabelMap labels;

    @BeforeAll
    static void load() throws Exception {
        labelList = SharedData.locate().models().resolve("imagenet-labels.txt");
        labels = LabelMap.imageNet(labelList);
    }

    /** ImageNet's class ranges by WordNet, written down here independently of the mapping. */
    static final int[][] BIRDS = {{7, 24}, {80, 100}, {127, 146}};
    static final int[][] AMPHIBIANS = {{25, 32}};
    static final int[][] REPTILES = {{33, 50}, {52, 68}};  // 51 is the triceratops
    static final int[][] MAMMALS = {{101, 106}, {147, 299}, {330, 388}};

    static List<Integer> indices(int[][] ranges) {
        List<Integer> all = new ArrayList<>();
        for (int[] range : ranges) {
            IntStream.rangeClosed(range[0], range[1]).forEach(all::add);
        }
        return all;
    }

    @Test
    void everyThousandClassIsMapped() {
        assertEquals(1000, labels.size());
    }

    @Test
    void everyMammalBirdReptileAndAmphibianIsAnAnimalOfItsClass() {
        List<String> wrong = new ArrayList<>();
        check(BIRDS, "Aves", wrong);
        check(AMPHIBIANS, "Amphibia", wrong);
        check(REPTILES, "Reptilia", wrong);
        check(MAMMALS, "Mammalia", wrong);
        assertEquals(List.of(), wrong);
    }

    private static void check(int[][] ranges, String className, List<String> wrong) {
        for (int i : indices(ranges)) {
            Label label = labels.label(i);
            if (label.kind() != LabelKind.ANIMAL || !className.equals(label.taxon().className())) {
                wrong.add(i + " " + label.name() + " -> " + label.kind() + " " + label.taxon());
            }
        }
    }

    @Test
    void dogBreedsAreDomesticDogsAndHouseCatsDomesticCats() {
        Taxon dog = Taxon.of("Mammalia", "Carnivora", "Canidae", "Canis", "familiaris");
        for (int i = 151; i <= 268; i++) {
            assertEquals(dog, labels.label(i).taxon(), labels.label(i).name());
        }
        for (String breed : List.of("malamute", "Chihuahua", "Mexican hairless", "standard poodle")) {
            assertEquals(dog, labels.labels().stream().filter(l -> l.name().equals(breed)).findFirst().orElseThrow().taxon());
        }
        assertEquals("domestic dog", labels.commonName(dog));
        Taxon cat = Taxon.of("Mammalia", "Carnivora", "Felidae", "Felis", "catus");
        for (int i = 281; i <= 285; i++) {
            assertEquals(cat, labels.label(i).taxon(), labels.label(i).name());
        }
    }

    @Test
    void currentNames() {
        assertEquals("Puma concolor", byName("cougar").taxon().scientificName());
        assertEquals("Felidae", byName("cougar").taxon().family());
        assertEquals("Ciconia nigra", byName("black stork").taxon().scientificName());
        assertEquals("Vulpes lagopus", byName("Arctic fox").taxon().scientificName());
        assertEquals("Ardea alba", byName("American egret").taxon().scientificName());
        assertEquals("Calidris alpina", byName("red-backed sandpiper").taxon().scientificName());
        assertEquals("Lissotriton vulgaris", byName("common newt").taxon().scientificName());
        assertEquals("Artiodactyla", byName("killer whale").taxon().order());
        // a class that shows several genera is named only to the rank they share
        assertEquals(Rank.FAMILY, byName("gazelle").taxon().rank());
        assertEquals(Rank.CLASS, byName("vulture").taxon().rank());
        assertEquals(Rank.ORDER, byName("armadillo").taxon().rank());
    }

    @Test
    void noObjectBecomesAnAnimal() {
        for (int i = 398; i < 1000; i++) {
            assertNotEquals(LabelKind.ANIMAL, labels.label(i).kind(), i + " " + labels.label(i).name());
        }
        // objects named for animals, spot-checked by name
        for (String object : List.of("teddy", "fur coat", "mouse", "crane", "bearskin", "hen-of-the-woods", "hog",
                "mousetrap", "tiger shark", "bullfrog", "bighorn", "Loafer", "jaguar", "beaver")) {
            List<Label> named = labels.labels().stream().filter(l -> l.name().equals(object)).toList();
            assertTrue(!named.isEmpty(), object);
            for (Label label : named) {
                boolean animalClass = label.index() < 398;
                assertEquals(animalClass, label.kind() == LabelKind.ANIMAL, label.index() + " " + object);
            }
        }
        assertEquals(LabelKind.BLANK, byName("teddy").kind());
        assertEquals(LabelKind.BLANK, byName("valley").kind());
        assertEquals(LabelKind.VEHICLE, byName("pickup").kind());
        assertEquals(LabelKind.VEHICLE, byName("snowmobile").kind());
        assertEquals(LabelKind.HUMAN, byName("scuba diver").kind());
    }

    @Test
    void fishAndInvertebratesGoNoFurtherThanTheirClass() {
        for (int i : List.of(0, 1, 2, 6, 389, 397, 70, 79, 108, 118, 300, 326, 327)) {
            Label label = labels.label(i);
            assertEquals(LabelKind.ANIMAL, label.kind(), label.name());
            assertEquals(Rank.CLASS, label.taxon().rank(), label.name());
        }
        assertEquals(Taxon.ANIMALIA, byName("trilobite").taxon(), "extinct: an animal, no taxon");
        assertEquals(Taxon.ANIMALIA, byName("triceratops").taxon(), "extinct, and pictures of models");
    }

    @Test
    void aMappingForAnotherLabelListIsRefused() throws Exception {
        List<String> list = new ArrayList<>(Files.readAllLines(labelList, StandardCharsets.UTF_8));
        list.set(286, "puma");
        List<String> mapping = shippedMapping();
        var e = assertThrows(IllegalArgumentException.class, () -> LabelMappingFile.parse(list, mapping, "shipped"));
        assertTrue(e.getMessage().contains("class 286 is 'puma'"), e.getMessage());

        List<String> shorter = new ArrayList<>(mapping);
        shorter.removeIf(line -> line.startsWith("500;"));
        var missing = assertThrows(IllegalArgumentException.class,
                () -> LabelMappingFile.parse(Files.readAllLines(labelList, StandardCharsets.UTF_8), shorter, "shipped"));
        assertTrue(missing.getMessage().contains("not mapped: [500]"), missing.getMessage());
    }

    @Test
    void higherTaxaHaveHonestCommonNames() {
        assertEquals("cat family", labels.commonName(Taxon.of("Mammalia", "Carnivora", "Felidae", null, null)));
        assertEquals("bird", labels.commonName(Taxon.of("Aves", null, null, null, null)));
        assertEquals("bovid", labels.commonName(Taxon.of("Mammalia", "Artiodactyla", "Bovidae", null, null)),
                "not 'gazelle', the label that names Bovidae");
        assertEquals("lynx", labels.commonName(Taxon.of("Mammalia", "Carnivora", "Felidae", "Lynx", null)), "its only class");
        assertEquals("genus Crotalus", labels.commonName(Taxon.of("Reptilia", "Squamata", "Viperidae", "Crotalus", null)),
                "two rattlesnakes, no name for both");
        assertEquals("cougar", labels.commonName(Taxon.of("Mammalia", "Carnivora", "Felidae", "Puma", "concolor")));
    }

    static Label byName(String name) {
        return labels.labels().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name));
    }

    static List<String> shippedMapping() throws Exception {
        try (InputStream in = LabelMap.class.getResourceAsStream(LabelMap.IMAGENET_MAPPING)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
