package org.trapline.detector.species;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.catalog.Site;
import org.trapline.catalog.SiteCatalog;
import org.trapline.detector.FrameDetector;
import org.trapline.detector.model.Box;
import org.trapline.schema.ClassificationKind;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.Frame;
import org.trapline.schema.SampleRecords;
import org.trapline.schema.SpeciesClassification;
import org.trapline.schema.TaxonRank;
import org.trapline.species.SpeciesRecords;
import org.trapline.species.result.Flag;
import org.trapline.species.result.SpeciesResult;
import org.trapline.species.rollup.Place;

/**
 * The species stage as the detector runs it, on the real networks and a real picture: which boxes are
 * classified, how an answer finds its published detection, what a failing classifier costs, and the
 * site catalog's country in the geofence.
 */
class DetectorSpeciesTest {

    static final Path COUGAR = Path.of("camera-traps/idaho-camera-traps.jpg");

    static TestModels models;

    @BeforeAll
    static void load() throws Exception {
        models = new TestModels();
    }

    @AfterAll
    static void close() {
        models.close();
    }

    /** The network's boxes on the cougar frame, with a truck and a too-faint animal put before them. */
    static List<Box> cougarWithOthers(TestModels m, BufferedImage picture) throws Exception {
        List<Box> boxes = new ArrayList<>();
        int truck = classIndex(m, "truck");
        int dog = classIndex(m, "dog");
        boxes.add(new Box(truck, 0.6f, 0.01f, 0.01f, 0.3f, 0.3f));
        boxes.add(new Box(dog, 0.05f, 0.5f, 0.5f, 0.2f, 0.2f));  // below the animal threshold: no detection
        boxes.addAll(m.boxes(picture));
        return boxes;
    }

    static int classIndex(TestModels m, String label) {
        var labels = m.detectorSettings.model().labels();
        for (int i = 0; i < labels.size(); i++) {
            if (labels.label(i).equals(label)) {
                return i;
            }
        }
        throw new AssertionError("no class " + label);
    }

    static Frame frameAt(String site) {
        return Frame.newBuilder(SampleRecords.frame("cam-" + site)).setSiteId(site).build();
    }

    @Test
    void eachPublishedAnimalGetsTheAnswerForItsOwnBox() throws Exception {
        BufferedImage picture = models.read(models.shared.images().resolve(COUGAR));
        List<Box> boxes = cougarWithOthers(models, picture);
        List<Integer> candidates = models.decider.animalCandidates(boxes);
        assertFalse(candidates.isEmpty(), "the network finds the cougar");
        assertFalse(candidates.contains(0), "a truck is not classified");
        assertFalse(candidates.contains(1), "nor an animal below the threshold");

        FrameCrops crops = models.species.crop(picture, boxes, candidates, Place.UNKNOWN);
        assertEquals(candidates, List.copyOf(crops.crops().keySet()));
        BoxSpecies named = models.species.classify(List.of(crops)).get(0);
        assertEquals(Map.of(), named.failures());

        Frame frame = frameAt("idaho");
        FrameDetector.Decision decision = models.decider.decide(frame, new byte[0], boxes, named);
        var result = decision.result();
        assertEquals(Map.of(), decision.speciesFailures());
        assertEquals(DetectionCategory.VEHICLE, result.getDetections().get(0).getCategory(), "the truck is detection 0");
        long animals = result.getDetections().stream().filter(d -> d.getCategory() == DetectionCategory.ANIMAL).count();
        assertEquals(animals, result.getClassifications().size(), "every published animal, nothing else, is classified");
        for (SpeciesClassification c : result.getClassifications()) {
            var detection = result.getDetections().get(c.getDetection());
            assertEquals(DetectionCategory.ANIMAL, detection.getCategory());
            // the answer is the one for the box this detection was made from
            int box = boxes.indexOf(boxes.stream().filter(b -> b.x() == detection.getBbox().getX()
                    && b.y() == detection.getBbox().getY() && b.confidence() == detection.getConfidence()).findFirst().orElseThrow());
            assertEquals(SpeciesRecords.toAvro(c.getDetection(), named.answers().get(box)), c);
        }
        SpeciesClassification best = result.getClassifications().stream()
                .max(Comparator.comparing(c -> result.getDetections().get(c.getDetection()).getConfidence())).orElseThrow();
        assertEquals(ClassificationKind.ANIMAL, best.getKind());
        assertTrue(List.of("Puma concolor", "Puma", "Felidae").contains(best.getScientificName()), best.toString());
        assertEquals("mammalia;carnivora;felidae;puma;concolor".substring(0, best.getTaxonomy().length()), best.getTaxonomy(),
                "the lineage travels with the answer");
        SpeciesResult back = SpeciesRecords.fromAvro(best);
        assertEquals(best.getScientificName(), back.scientificName());
        assertEquals(TaxonRank.valueOf(back.rank().name()), best.getRank());
    }

    @Test
    void aClassifierThatFailsCostsTheAnswersNotTheDetections() throws Exception {
        try (TestModels broken = new TestModels(Map.of("species.model.output", "no-such-output"))) {
            BufferedImage picture = broken.read(broken.shared.images().resolve(COUGAR));
            List<Box> boxes = cougarWithOthers(broken, picture);
            List<Integer> candidates = broken.decider.animalCandidates(boxes);
            BoxSpecies named = broken.species.classify(List.of(broken.species.crop(picture, boxes, candidates, Place.UNKNOWN))).get(0);
            assertEquals(Map.of(), named.answers());
            assertEquals(candidates, List.copyOf(named.failures().keySet()), "each crop was tried alone and has its reason");
            named.failures().values().forEach(reason -> assertTrue(reason.contains("no output 'no-such-output'"), reason));

            FrameDetector.Decision decision = broken.decider.decide(frameAt("idaho"), new byte[0], boxes, named);
            assertEquals(List.of(), decision.result().getClassifications());
            assertFalse(decision.result().getDetections().isEmpty(), "the detections are published all the same");
            long animals = decision.result().getDetections().stream().filter(d -> d.getCategory() == DetectionCategory.ANIMAL).count();
            assertEquals(animals, decision.speciesFailures().size(), "a reason for every published animal left unnamed");
        }
    }

    @Test
    void theSitesCountryInTheCatalogDecidesTheGeofence(@TempDir Path dir) throws Exception {
        Path catalogFile = dir.resolve("catalog.json");
        SiteCatalog catalog = SiteCatalog.load(catalogFile);
        catalog.putSite(new Site("idaho", "Idaho", 44.0, -114.7, "America/Boise", "usa"));
        catalog.putSite(new Site("elsewhere", "Elsewhere", null, null, null));
        try (TestModels fenced = new TestModels(Map.of("detector.catalog.file", catalogFile.toString(),
                "species.geofence.country.USA", "Lynx, Canis latrans"))) {
            assertEquals(new Place("idaho", "USA"), fenced.species.place(frameAt("idaho")));
            assertEquals(new Place("elsewhere", null), fenced.species.place(frameAt("elsewhere")));
            assertEquals(new Place("unknown-site", null), fenced.species.place(frameAt("unknown-site")));

            BufferedImage picture = fenced.read(fenced.shared.images().resolve(COUGAR));
            List<Box> boxes = fenced.boxes(picture);
            int best = fenced.decider.animalCandidates(boxes).stream().max(Comparator.comparing(i -> boxes.get(i).confidence()))
                    .orElseThrow();
            SpeciesResult inUsa = fenced.species.classify(List.of(fenced.species.crop(picture, boxes, List.of(best),
                    fenced.species.place(frameAt("idaho"))))).get(0).answers().get(best);
            SpeciesResult unfenced = fenced.species.classify(List.of(fenced.species.crop(picture, boxes, List.of(best),
                    fenced.species.place(frameAt("elsewhere"))))).get(0).answers().get(best);
            assertEquals("Puma concolor", unfenced.scientificName(), "no country, no list: the cougar");
            assertEquals("Felidae", inUsa.scientificName(), "only lynxes known in the USA here: a cat, not a cougar");
            assertTrue(inUsa.flags().contains(Flag.GEOFENCED), inUsa.toString());
        }
        assertNull(new Site("x", "X", null, null, null).country());
    }
}
