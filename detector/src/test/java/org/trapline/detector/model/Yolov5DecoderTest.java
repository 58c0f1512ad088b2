package org.trapline.detector.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.trapline.schema.DetectionCategory;

/** MegaDetector v5's output format, on tensors built by hand: decode, back-project, suppress. */
class Yolov5DecoderTest {

    static final LabelMap MEGADETECTOR = LabelMap.megadetector();

    /** One anchor row: centre, size (input pixels), objectness, animal, person, vehicle. */
    static float[] row(float cx, float cy, float w, float h, float obj, float animal, float person, float vehicle) {
        return new float[] {cx, cy, w, h, obj, animal, person, vehicle};
    }

    static float[] tensor(float[]... rows) {
        float[] out = new float[rows.length * 8];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * 8, 8);
        }
        return out;
    }

    @Test
    void rowsBecomeBoxesOnTheOriginalImage() {
        float[] out = tensor(
                row(320, 320, 100, 200, 0.9f, 0.95f, 0.02f, 0.01f),   // an animal
                row(322, 318, 104, 196, 0.8f, 0.90f, 0.05f, 0.01f),   // the same animal again: suppressed
                row(100, 250, 40, 80, 0.7f, 0.05f, 0.85f, 0.02f),     // a person beside it
                row(500, 300, 50, 50, 0.1f, 0.3f, 0.3f, 0.3f));       // too faint
        List<Candidate> candidates = new Yolov5Decoder(3).decode(out, 0, out.length, 0.2f);
        assertEquals(3, candidates.size(), "the faint row is dropped: " + candidates);

        // a 1280×720 frame letterboxed into 640: scale 0.5, 140 pixels of grey above and below
        Letterbox letterbox = Letterbox.fit(1280, 720, 640, true);
        assertEquals(140, letterbox.padY());
        List<Box> boxes = Nms.apply(candidates.stream().map(letterbox::project).toList(), 0.45f,
                b -> MEGADETECTOR.category(b.classIndex()).orElseThrow());
        assertEquals(2, boxes.size(), boxes.toString());

        Box animal = boxes.get(0);
        assertEquals(DetectionCategory.ANIMAL, MEGADETECTOR.category(animal.classIndex()).orElseThrow());
        assertEquals(0.9f * 0.95f, animal.confidence(), 1e-6);
        assertEquals((320 - 50) / 0.5f / 1280, animal.x(), 1e-5);
        assertEquals((320 - 100 - 140) / 0.5f / 720, animal.y(), 1e-5);
        assertEquals(100 / 0.5f / 1280, animal.width(), 1e-5);
        assertEquals(200 / 0.5f / 720, animal.height(), 1e-5);

        Box person = boxes.get(1);
        assertEquals(DetectionCategory.PERSON, MEGADETECTOR.category(person.classIndex()).orElseThrow());
        assertEquals(0.7f * 0.85f, person.confidence(), 1e-6);
    }

    @Test
    void boxesReachingIntoThePaddingAreClippedToTheImage() {
        Letterbox letterbox = Letterbox.fit(1280, 720, 640, true);
        Box box = letterbox.project(new Candidate(0, 0.9f, 20, 150, 60, 40));  // its top-left lies in the grey band
        assertEquals(0f, box.x(), 1e-6);
        assertEquals(0f, box.y(), 1e-6);
        assertEquals((50 - 0) / 0.5f / 1280, box.width(), 1e-5);
        assertEquals((170 - 140) / 0.5f / 720, box.height(), 1e-5);
    }

    @Test
    void anOutputOfTheWrongWidthIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Yolov5Decoder(3).decode(new float[9], 0, 9, 0.2f));
    }
}
