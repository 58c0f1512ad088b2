package org.trapline.detector.species;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.trapline.blob.BlobStore;
import org.trapline.blob.BlobStores;
import org.trapline.config.TraplineConfig;
import org.trapline.detector.DetectorSettings;
import org.trapline.detector.FrameDetector;
import org.trapline.detector.image.ImageDecoder;
import org.trapline.detector.model.Box;
import org.trapline.detector.model.DetectorModel;
import org.trapline.detector.redact.Redactor;
import org.trapline.detector.repeat.RepeatDetections;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.ModelInfo;
import org.trapline.species.AnimalBox;
import org.trapline.species.SpeciesStage;
import org.trapline.localstack.samples.SharedData;

/**
 * The real models on the shared data, for the tests, as the detector service runs them: its network
 * (YOLOX-nano, its default settings), pictures decoded by its decoder (reduced to the network's size as
 * the service decodes them, so the species crops are cut from the very pixels the service crops from),
 * the boxes its frame decision publishes as animals, and the species stage with its default settings
 * (the MobileNetV2 stand-in and the shipped ImageNet mapping).
 */
final class TestModels implements AutoCloseable {

    final SharedData shared = SharedData.locate();
    final DetectorSettings detectorSettings;
    final DetectorModel detector;
    final FrameDetector decider;
    final DetectorSpecies species;
    final SpeciesStage stage;
    private final ImageDecoder decoder;
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    TestModels() throws Exception {
        this(Map.of());
    }

    TestModels(Map<String, String> settings) throws Exception {
        Path dataDir = Files.createTempDirectory("species-test-");
        TraplineConfig config = TraplineConfig.of(Map.of("models.dir", shared.models().toString(),
                "data.dir", dataDir.toString())).with(settings);
        detectorSettings = DetectorSettings.fromConfig(config);
        detector = DetectorModel.load(detectorSettings.model());
        BlobStore blobs = BlobStores.fromConfig(config);
        decider = new FrameDetector(detectorSettings.model().labels(), detectorSettings.thresholds(),
                new ModelInfo(detectorSettings.model().name(), detectorSettings.model().version()),
                new Redactor(blobs, detectorSettings.redaction()), new RepeatDetections(blobs, detectorSettings.repeats()),
                Clock.systemUTC());
        species = DetectorSpecies.fromConfig(config, metrics).orElseThrow(() -> new AssertionError("the species stage is off"));
        stage = species.stage();
        decoder = ImageDecoder.forNetwork(detectorSettings.model().inputSize());
    }

    /** The picture as the detector decodes it for its network. */
    BufferedImage read(Path file) throws Exception {
        return decoder.decode(Files.readAllBytes(file)).orElseThrow(() -> new IllegalStateException("not an image: " + file));
    }

    /** The network's boxes on the picture. */
    List<Box> boxes(BufferedImage picture) throws Exception {
        return detector.detect(List.of(picture)).get(0);
    }

    /** The boxes the detector publishes as animals (and so classifies), most confident first. */
    List<AnimalBox> animalBoxes(BufferedImage picture) throws Exception {
        List<Box> boxes = boxes(picture);
        return decider.animalCandidates(boxes).stream().map(boxes::get)
                .sorted(Comparator.comparing(Box::confidence).reversed())
                .map(b -> new AnimalBox(DetectionCategory.ANIMAL, b.confidence(), b.x(), b.y(), b.width(), b.height()))
                .toList();
    }

    /** The most confident animal box, if the detector finds one. */
    Optional<AnimalBox> bestAnimalBox(BufferedImage picture) throws Exception {
        return animalBoxes(picture).stream().findFirst();
    }

    @Override
    public void close() {
        species.close();
        detector.close();
        metrics.close();
    }
}
