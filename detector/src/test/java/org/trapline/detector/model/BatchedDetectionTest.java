package org.trapline.detector.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.detector.image.ImageDecoder;
import org.trapline.inference.onnx.OnnxThreading;
import org.trapline.localstack.samples.SharedData;

/**
 * Several frames in one inference call: the images stacked into one tensor, the output split back into
 * each image's slice and each put back onto its own picture. On constructed tensors, and on a real
 * network with a dynamic batch dimension: the shipped YOLOX fixes its batch at 1, so the test makes a
 * dynamic-batch copy of it ({@link DynamicBatchYolox}) that computes exactly what the original does.
 */
class BatchedDetectionTest {

    static DetectorModel.Settings settings(Path model, int threads) throws Exception {
        SharedData shared = SharedData.locate();
        return new DetectorModel.Settings(model, ModelFamily.YOLOX, 640,
                LabelMap.fromFile(shared.models().resolve("coco.names"), Map.of()), 0.2f, 0.45f, new OnnxThreading(threads, 2, false),
                "yolox-nano-coco", "1");
    }

    @Test
    void eachImageOfABatchGetsItsOwnSliceOnItsOwnPicture() {
        // MegaDetector-style output for two images in one call: [2, 2 anchors, 8 values]
        float[] out = {
            // image 0 (1280 × 720, centred letterbox, scale 0.5, 140 px bands): an animal
            320, 320, 100, 200, 0.9f, 0.95f, 0.02f, 0.01f,
            500, 300, 50, 50, 0.1f, 0.3f, 0.3f, 0.3f,
            // image 1 (640 × 640, no letterbox): a vehicle, then nothing
            100, 100, 40, 40, 0.8f, 0.05f, 0.05f, 0.9f,
            0, 0, 0, 0, 0f, 0f, 0f, 0f};
        DetectionTranslator translator = new DetectionTranslator(ModelFamily.YOLOV5, 640, LabelMap.megadetector(), 0.2f, 0.45f);
        List<List<Box>> boxes = translator.split(out, List.of(Letterbox.fit(1280, 720, 640, true), Letterbox.fit(640, 640, 640, true)));
        assertEquals(2, boxes.size());
        assertEquals(1, boxes.get(0).size(), boxes.toString());
        assertEquals(1, boxes.get(1).size(), boxes.toString());
        Box animal = boxes.get(0).get(0);
        assertEquals(0, animal.classIndex());
        assertEquals((320 - 100 - 140) / 0.5f / 720, animal.y(), 1e-5, "projected through the first image's letterbox");
        Box vehicle = boxes.get(1).get(0);
        assertEquals(2, vehicle.classIndex());
        assertEquals(80 / 640f, vehicle.x(), 1e-5, "and the second through its own");
        assertThrows(IllegalArgumentException.class, () -> translator.split(new float[15], List.of(
                Letterbox.fit(640, 640, 640, true), Letterbox.fit(640, 640, 640, true))), "an output that does not split evenly");
    }

    @Test
    void aFixedBatchNetworkRefusesMoreThanItTakes() throws Exception {
        try (DetectorModel fixed = DetectorModel.load(settings(SharedData.locate().models().resolve("yolox-nano-coco.onnx"), 1))) {
            assertEquals(1, fixed.batchLimit(), "the shipped YOLOX fixes its batch at 1");
            BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
            assertThrows(IllegalArgumentException.class, () -> fixed.detect(List.of(image, image)));
        }
    }

    @Test
    void aBatchOnADynamicBatchNetworkFindsWhatOneCallPerImageFinds(@TempDir Path dir) throws Exception {
        SharedData shared = SharedData.locate();
        Path dynamic = DynamicBatchYolox.write(shared.models().resolve("yolox-nano-coco.onnx"), dir.resolve("yolox-nano-dynamic.onnx"));
        List<BufferedImage> images = new ArrayList<>();
        ImageDecoder decoder = ImageDecoder.forNetwork(640);
        for (String name : List.of("animals/dog-cat.jpg", "camera-traps/nacti.jpg", "camera-traps-empty/empty-savanna-hills.jpg",
                "camera-traps/sample-snapshotsafari-02.jpg", "camera-traps/mike_heron_20241018021216_268.jpg")) {
            images.add(decoder.decode(Files.readAllBytes(shared.images().resolve(name))).orElseThrow());
        }
        try (DetectorModel fixed = DetectorModel.load(settings(shared.models().resolve("yolox-nano-coco.onnx"), 1));
             DetectorModel batched = DetectorModel.load(settings(dynamic, 1))) {
            assertEquals(Integer.MAX_VALUE, batched.batchLimit(), "the copy's batch dimension is dynamic");
            List<List<Box>> one = new ArrayList<>();
            for (BufferedImage image : images) {
                one.add(fixed.detect(List.of(image)).get(0));
            }
            List<List<Box>> all = batched.detect(images);
            assertEquals(images.size(), all.size());
            int boxes = 0;
            for (int i = 0; i < images.size(); i++) {
                assertEquals(one.get(i).size(), all.get(i).size(), "image " + i + ": " + one.get(i) + " against " + all.get(i));
                for (int b = 0; b < one.get(i).size(); b++) {
                    Box expected = one.get(i).get(b);
                    Box actual = all.get(i).get(b);
                    assertEquals(expected.classIndex(), actual.classIndex());
                    assertEquals(expected.confidence(), actual.confidence(), 1e-4, "image " + i);
                    assertEquals(expected.x(), actual.x(), 1e-4);
                    assertEquals(expected.y(), actual.y(), 1e-4);
                    assertEquals(expected.width(), actual.width(), 1e-4);
                    assertEquals(expected.height(), actual.height(), 1e-4);
                    boxes++;
                }
            }
            assertTrue(boxes >= 5, "a dog, a cat, animals on the camera-trap frames: " + boxes);
            assertEquals(List.of(), all.get(2), "the empty frame stays empty in a batch");
            // a smaller batch through the same predictor's (larger) input buffer
            assertEquals(one.subList(3, 5).stream().map(List::size).toList(),
                    batched.detect(images.subList(3, 5)).stream().map(List::size).toList());
        }
    }
}
