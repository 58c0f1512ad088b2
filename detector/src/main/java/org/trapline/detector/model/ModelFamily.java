package org.trapline.detector.model;

import java.util.List;

import org.trapline.inference.pixels.Normalisation;

/**
 * How a family of detection networks wants its input and writes its output.
 *
 * <ul>
 * <li>{@code YOLOX}: RGB scaled to 0–1 and normalised with ImageNet mean/std, letterboxed top-left on grey;
 * output per scale level (strides 8, 16, 32), channel-major, raw logits, boxes relative to the grid.</li>
 * <li>{@code YOLOV5}: YOLOv5 exports and MegaDetector v5: RGB scaled to 0–1, letterboxed centred on grey
 * 114; output {@code [N, anchors, 5 + classes]}, a row per anchor: centre, size in input pixels,
 * objectness and class scores already through a sigmoid.</li>
 * </ul>
 */
public enum ModelFamily {
    YOLOX(false, 128, Normalisation.IMAGENET),
    YOLOV5(true, 114, Normalisation.UNIT);

    final boolean centred;
    final int padGrey;
    final Normalisation normalisation;

    ModelFamily(boolean centred, int padGrey, Normalisation normalisation) {
        this.centred = centred;
        this.padGrey = padGrey;
        this.normalisation = normalisation;
    }

    /** The decoder for one image's slice of the output. */
    Decoder decoder(int inputSize, int classes) {
        return switch (this) {
            case YOLOX -> new YoloxDecoder(inputSize, classes);
            case YOLOV5 -> new Yolov5Decoder(classes);
        };
    }

    /** Turns one image's output values into candidates scoring at least {@code minScore}. */
    interface Decoder {
        List<Candidate> decode(float[] output, int offset, int length, float minScore);
    }
}
