package org.trapline.species;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.imageio.ImageIO;

import org.trapline.config.TraplineConfig;
import org.trapline.detector.model.Box;
import org.trapline.detector.model.DetectorModel;
import org.trapline.detector.model.LabelMap;
import org.trapline.detector.model.ModelFamily;
import org.trapline.schema.DetectionCategory;
import org.trapline.testsupport.samples.SharedData;

/**
 * The real models on the shared data, for the tests: the species stage with its default settings (the
 * MobileNetV2 stand-in and the shipped ImageNet mapping), and the detector's YOLOX-nano, which finds
 * the animal boxes to classify, loaded as the detector's own tests load it.
 */
final class TestModels implements AutoCloseable {

    static final float DETECTOR_THRESHOLD = 0.2f;

    final SharedData shared = SharedData.locate();
    final SpeciesStage stage;
    private final LabelMap cocoLabels;
    private final DetectorModel detector;

    TestModels() throws Exception {
        this(Map.of());
    }

    TestModels(Map<String, String> settings) throws Exception {
        TraplineConfig config = TraplineConfig.of(Map.of("models.dir", shared.models().toString())).with(settings);
        stage = SpeciesStage.load(SpeciesSettings.fromConfig(config));
        cocoLabels = LabelMap.fromFile(shared.models().resolve("coco.names"), Map.of());
        detector = DetectorModel.load(new DetectorModel.Settings(shared.models().resolve("yolox-nano-coco.onnx"),
                ModelFamily.YOLOX, 640, cocoLabels, DETECTOR_THRESHOLD, 0.45f, 1, 2, false, "yolox-nano-coco", "1"));
    }

    static BufferedImage read(Path file) throws Exception {
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) {
            throw new IllegalStateException("not an image: " + file);
        }
        return image;
    }

    /** The detector's animal boxes on the picture, most confident first. */
    List<AnimalBox> animalBoxes(BufferedImage picture) throws Exception {
        return detector.detect(List.of(picture)).get(0).stream()
                .filter(b -> b.confidence() >= DETECTOR_THRESHOLD)
                .filter(b -> cocoLabels.category(b.classIndex()).orElse(null) == DetectionCategory.ANIMAL)
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
        stage.close();
        detector.close();
    }
}
