package org.trapline.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.catalog.Camera;
import org.trapline.catalog.Site;
import org.trapline.config.TraplineConfig;
import org.trapline.ingest.IngestComponents;
import org.trapline.schema.ClassificationKind;
import org.trapline.schema.DeadLetter;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.Frame;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.SpeciesClassification;
import org.trapline.testsupport.junit.TestStack;
import org.trapline.testsupport.junit.TestStackExtension;
import org.trapline.localstack.samples.SharedData;
import org.trapline.topics.TopicSetup;

/**
 * The species stage inside the real detector service, on the real broker and registry: the published
 * detections carry the classifier's answers, in the same transaction (a restart neither repeats nor
 * loses one), the site catalog's country fences them, a failing classifier costs the answers but not the
 * detections (and sends the frame's record to the dead letters with why), and the stage turned off
 * leaves the records as they were.
 */
@ExtendWith(TestStackExtension.class)
class SpeciesDetectorIT {

    static final String COUGAR = "camera-traps/idaho-camera-traps.jpg";
    static final String STORK = "camera-traps/mike_6b6435a8-7b5a-4e14-bb50-8bceb26ca0e6.JPG";
    static final String EMPTY = "camera-traps-empty/empty-savanna-hills.jpg";

    final SharedData shared = SharedData.locate();

    TraplineConfig config(TestStack stack, Path dataDir, String instance, Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(stack.config(dataDir));
        settings.putAll(Map.of("models.dir", shared.models().toString(), "detector.http.port", "0",
                "detector.instance.id", instance, "ingest.catalog.file", dataDir.resolve("catalog.json").toString()));
        settings.putAll(more);
        TraplineConfig config = TraplineConfig.of(settings);
        new TopicSetup(config).run();
        return config;
    }

    /** The classification of the frame's most confident animal. */
    static SpeciesClassification ofBestAnimal(FrameDetections result) {
        var detections = result.getDetections();
        return result.getClassifications().stream()
                .max(Comparator.comparing((SpeciesClassification c) -> detections.get(c.getDetection()).getConfidence()))
                .orElseThrow(() -> new AssertionError("no classification on " + result));
    }

    static String scrape(DetectorService detector) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + detector.port()
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void publishedDetectionsCarryTheSpeciesExactlyOnceFencedByTheSitesCountry(TestStack stack, @TempDir Path dataDir)
            throws Exception {
        String camera = "sp-cam-" + UUID.randomUUID();
        String fencedCamera = "sp-fenced-" + UUID.randomUUID();
        TraplineConfig config = config(stack, dataDir, "it-" + camera, Map.of("species.geofence.country.CAN", "Lynx"));
        Frame cougar;
        Frame stork;
        Frame empty;
        Frame fencedCougar;
        try (IngestComponents ingest = IngestComponents.create(config, "species-it")) {
            ingest.catalog().putSite(new Site("idaho", "Idaho", 44.0, -114.7, "America/Boise", "USA"));
            ingest.catalog().putSite(new Site("lynxland", "Lynx land", 55.0, -105.0, null, "CAN"));
            ingest.catalog().putCamera(new Camera(camera, "idaho", null, null, 0));
            ingest.catalog().putCamera(new Camera(fencedCamera, "lynxland", null, null, 0));
            cougar = DetectorServiceIT.upload(ingest, camera, shared.images().resolve(COUGAR));
            stork = DetectorServiceIT.upload(ingest, camera, shared.images().resolve(STORK));
            empty = DetectorServiceIT.upload(ingest, camera, shared.images().resolve(EMPTY));
            fencedCougar = DetectorServiceIT.upload(ingest, fencedCamera, shared.images().resolve(COUGAR));
        }

        try (DetectorService detector = DetectorService.start(config)) {
            Map<String, FrameDetections> byFrame = DetectorServiceIT.detectionsOf(config, camera, empty.getFrameId());
            FrameDetections cougarResult = byFrame.get(cougar.getFrameId());
            long animals = cougarResult.getDetections().stream().filter(d -> d.getCategory() == DetectionCategory.ANIMAL).count();
            assertTrue(animals > 0, cougarResult.toString());
            assertEquals(animals, cougarResult.getClassifications().size(), "every animal box classified");
            cougarResult.getClassifications().forEach(c -> assertEquals(DetectionCategory.ANIMAL,
                    cougarResult.getDetections().get(c.getDetection()).getCategory(), "each names an animal detection"));
            SpeciesClassification puma = ofBestAnimal(cougarResult);
            assertEquals(ClassificationKind.ANIMAL, puma.getKind());
            assertTrue(puma.getTaxonomy().startsWith("mammalia;carnivora;felidae;"), "no coarser than the cat family: " + puma);
            assertTrue(puma.getScientificName().equals("Puma concolor") || puma.getRank() != org.trapline.schema.TaxonRank.SPECIES,
                    "a species named is the cougar: " + puma);
            assertEquals("mobilenetv2-12-int8-features", puma.getClassifier().getName());

            SpeciesClassification blackStork = ofBestAnimal(byFrame.get(stork.getFrameId()));
            assertTrue(List.of("Ciconia nigra", "Ciconia").contains(blackStork.getScientificName()), blackStork.toString());

            assertTrue(byFrame.get(empty.getFrameId()).getEmpty());
            assertEquals(List.of(), byFrame.get(empty.getFrameId()).getClassifications(), "an empty frame names no species");

            // the same picture at a site in a country where only lynxes are listed: no cougar there
            SpeciesClassification fenced = ofBestAnimal(DetectorServiceIT.detectionsOf(config, fencedCamera,
                    fencedCougar.getFrameId()).get(fencedCougar.getFrameId()));
            assertEquals("Felidae", fenced.getScientificName(), fenced.toString());
            assertTrue(fenced.getFlags().contains("GEOFENCED"), fenced.toString());

            // answers are counted once their transaction committed, which a reader may see a moment sooner
            DetectorServiceIT.awaitTrue(() -> detector.metrics().find("trapline.detector.species.flags").tag("flag", "GEOFENCED")
                    .counter() != null, "the fenced cougar's answer counted");
            String metrics = scrape(detector);
            assertTrue(metrics.contains("trapline_detector_species_crops_total{outcome=\"classified\"}"), "crops counted");
            assertTrue(metrics.contains("trapline_detector_species_classify_seconds_bucket"), "a classifier latency histogram");
            assertTrue(metrics.contains("trapline_detector_species_answers_total{rank=\""), "answers by rank");
            assertTrue(metrics.contains("trapline_detector_species_flags_total{flag=\"GEOFENCED\"}"), "flags counted");
            double crops = detector.metrics().get("trapline.detector.species.crops").tag("outcome", "classified").counter().count();
            assertTrue(crops >= animals + 2, "the cougar's, the stork's and the fenced cougar's crops: " + crops);
        }

        // restarted: it goes on from the committed offsets; every frame has one result, its answers with it
        try (DetectorService again = DetectorService.start(config);
             IngestComponents ingest = IngestComponents.create(config, "species-it")) {
            Frame later = DetectorServiceIT.upload(ingest, camera, shared.images().resolve("animals/dog.jpg"));
            List<FrameDetections> all = DetectorServiceIT.allDetectionsOf(config, camera, later.getFrameId());
            assertEquals(List.of(cougar.getFrameId(), stork.getFrameId(), empty.getFrameId(), later.getFrameId()),
                    all.stream().map(FrameDetections::getFrameId).toList(), "each frame once, in order");
            SpeciesClassification dog = ofBestAnimal(all.get(3));
            assertEquals("Canis familiaris", dog.getScientificName(), "a domestic dog, never a breed: " + dog);
        }
    }

    @Test
    void aFailingClassifierCostsTheAnswersNotTheDetections(TestStack stack, @TempDir Path dataDir) throws Exception {
        String camera = "sp-broken-" + UUID.randomUUID();
        TraplineConfig config = config(stack, dataDir, "it-" + camera, Map.of("species.model.output", "no-such-output"));
        Frame cougar = uploadCougar(config, camera);
        try (DetectorService detector = DetectorService.start(config)) {
            FrameDetections result = DetectorServiceIT.detectionsOf(config, camera, cougar.getFrameId()).get(cougar.getFrameId());
            assertTrue(result.getDetections().stream().anyMatch(d -> d.getCategory() == DetectionCategory.ANIMAL),
                    "the detections are published: " + result);
            assertEquals(List.of(), result.getClassifications());
            List<DeadLetter> letters = DetectorServiceIT.deadLettersOf(config, l -> l.getService().equals("detector")
                    && new String(l.getKey().array(), StandardCharsets.UTF_8).equals(camera), 1);
            DeadLetter letter = letters.get(0);
            assertEquals("frames", letter.getOriginalTopic());
            assertTrue(letter.getReason().contains("species stage: frame " + cougar.getFrameId()
                    + " published without the classification of detection"), letter.getReason());
            assertTrue(letter.getReason().contains("no output 'no-such-output'"), letter.getReason());
            assertTrue(detector.metrics().get("trapline.detector.species.crops").tag("outcome", "failed").counter().count() >= 1);
            DetectorServiceIT.awaitTrue(() -> detector.metrics().find("trapline.detector.species.dead.letters").counter() != null,
                    "the species dead letter counted once committed");
            assertEquals(1.0, detector.metrics().get("trapline.detector.frames").tag("outcome", "detected").counter().count(),
                    "counted as detected");
            assertTrue(detector.metrics().find("trapline.detector.frames").tag("outcome", "dead-letter").counters().isEmpty(),
                    "not as a dead frame");
        }
    }

    @Test
    void turnedOffTheStageLeavesTheRecordsAsTheyWere(TestStack stack, @TempDir Path dataDir) throws Exception {
        String camera = "sp-off-" + UUID.randomUUID();
        TraplineConfig config = config(stack, dataDir, "it-" + camera, Map.of("species.enabled", "false"));
        Frame cougar = uploadCougar(config, camera);
        try (DetectorService detector = DetectorService.start(config)) {
            FrameDetections result = DetectorServiceIT.detectionsOf(config, camera, cougar.getFrameId()).get(cougar.getFrameId());
            assertFalse(result.getDetections().isEmpty());
            assertEquals(List.of(), result.getClassifications());
            assertFalse(scrape(detector).contains("trapline_detector_species"), "no species metrics: nothing loaded");
        }
    }

    /** The cougar's photo taken in by ingest for a camera of its own at the Idaho site. */
    Frame uploadCougar(TraplineConfig config, String camera) throws Exception {
        try (IngestComponents ingest = IngestComponents.create(config, "species-it")) {
            ingest.catalog().putSite(new Site("idaho", "Idaho", null, null, null));
            ingest.catalog().putCamera(new Camera(camera, "idaho", null, null, 0));
            return DetectorServiceIT.upload(ingest, camera, shared.images().resolve(COUGAR));
        }
    }
}
