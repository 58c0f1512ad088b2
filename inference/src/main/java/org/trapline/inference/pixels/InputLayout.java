package org.trapline.inference.pixels;

import java.util.Locale;

/**
 * How a network wants its input laid out: channel planes ({@code [N, 3, H, W]}, PyTorch exports, the
 * detectors, the MobileNetV2 stand-in) or interleaved pixels ({@code [N, H, W, 3]}, TensorFlow/Keras
 * exports such as SpeciesNet's).
 */
public enum InputLayout {
    NCHW, NHWC;

    public static InputLayout parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("input layout must be nchw or nhwc, not '" + value + "'", e);
        }
    }
}
