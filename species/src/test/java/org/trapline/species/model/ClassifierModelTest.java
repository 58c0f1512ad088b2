package org.trapline.species.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.trapline.inference.crop.BoxCrop;
import org.trapline.inference.onnx.OnnxThreading;
import org.trapline.inference.pixels.InputLayout;
import org.trapline.inference.pixels.Normalisation;
import org.trapline.species.taxonomy.LabelMap;
import org.trapline.localstack.samples.SharedData;

/** The MobileNetV2 stand-in through DJL and ONNX Runtime, on real pictures. */
class ClassifierModelTest {

    static SharedData shared;
    static LabelMap labels;
    static ClassifierModel model;

    @BeforeAll
    static void load() throws Exception {
        shared = SharedData.locate();
        labels = LabelMap.imageNet(shared.models().resolve("imagenet-labels.txt"));
        model = ClassifierModel.load(settings(2));
    }

    static ClassifierModel.Settings settings(int batchSize) {
        return new ClassifierModel.Settings(shared.models().resolve("mobilenetv2-12-int8-features.onnx"), "output", 224,
                InputLayout.NCHW, Normalisation.IMAGENET, true, batchSize, new OnnxThreading(1, 1, false));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static BufferedImage crop(String image) throws Exception {
        BufferedImage picture = ImageIO.read(shared.images().resolve(image).toFile());
        return new BoxCrop(0, true).crop(picture, 0, 0, 1, 1, 224);
    }

    static int argmax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    @Test
    void probabilitiesOfTheThousandClasses() throws Exception {
        float[] dog = model.classify(List.of(crop("animals/dog.jpg"))).get(0);
        assertEquals(1000, dog.length);
        double sum = 0;
        for (float p : dog) {
            sum += p;
        }
        assertEquals(1.0, sum, 1e-4, "a softmax");
        String top = labels.label(argmax(dog)).name();
        assertEquals("Canis familiaris", labels.label(argmax(dog)).taxon().scientificName(), "a dog breed: " + top);
        float[] kitten = model.classify(List.of(crop("animals/kitten.jpg"))).get(0);
        assertEquals("Felis catus", labels.label(argmax(kitten)).taxon().scientificName(), labels.label(argmax(kitten)).name());
    }

    @Test
    void aBatchGivesWhatSingleCropsGive() throws Exception {
        List<BufferedImage> crops = List.of(crop("animals/dog.jpg"), crop("animals/kitten.jpg"), crop("animals/fox.png"));
        List<float[]> together = model.classify(crops);  // batches of 2: two inference calls
        assertEquals(3, together.size());
        for (int i = 0; i < crops.size(); i++) {
            float[] alone = model.classify(List.of(crops.get(i))).get(0);
            for (int c = 0; c < alone.length; c++) {
                assertEquals(alone[c], together.get(i)[c], 1e-4, "crop " + i + " class " + c);
            }
        }
        assertEquals(List.of(), model.classify(List.of()));
    }

    @Test
    void aCropOfAnotherSizeIsScaledToTheInput() throws Exception {
        BufferedImage picture = ImageIO.read(shared.images().resolve("animals/dog.jpg").toFile());
        BufferedImage big = new BoxCrop(0, true).crop(picture, 0, 0, 1, 1, 448);
        float[] scaled = model.classify(List.of(big)).get(0);
        assertEquals("Canis familiaris", labels.label(argmax(scaled)).taxon().scientificName());
    }

    @Test
    void anOutputTheModelLacksIsNamed() throws Exception {
        ClassifierModel.Settings wrong = new ClassifierModel.Settings(shared.models().resolve("mobilenetv2-12-int8-features.onnx"),
                "logits", 224, InputLayout.NCHW, Normalisation.IMAGENET, true, 1, new OnnxThreading(1, 1, false));
        try (ClassifierModel misnamed = ClassifierModel.load(wrong)) {
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                    () -> misnamed.classify(List.of(crop("animals/dog.jpg"))));
            String message = String.valueOf(e.getMessage()) + (e.getCause() == null ? "" : e.getCause().getMessage());
            assertTrue(message.contains("no output 'logits'") && message.contains("output"), message);
        }
    }

    @Test
    void theFirstOutputByPosition() throws Exception {
        ClassifierModel.Settings first = new ClassifierModel.Settings(shared.models().resolve("mobilenetv2-12-int8-features.onnx"),
                "first", 224, InputLayout.NCHW, Normalisation.IMAGENET, true, 1, new OnnxThreading(1, 1, false));
        try (ClassifierModel byPosition = ClassifierModel.load(first)) {
            float[] p = byPosition.classify(List.of(crop("animals/dog.jpg"))).get(0);
            assertTrue(p.length == 1000 || p.length == 1280, "one of the stand-in's two outputs: " + p.length);
        }
    }

    @Test
    void aModelFileThatIsMissingFailsClearly() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> ClassifierModel.load(
                new ClassifierModel.Settings(Path.of("no-such-model.onnx"), "output", 224, InputLayout.NCHW,
                        Normalisation.IMAGENET, true, 1, new OnnxThreading(1, 1, false))));
        assertTrue(String.valueOf(e.getMessage()).contains("no-such-model.onnx"), e.getMessage());
    }
}
