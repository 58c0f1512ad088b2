package org.trapline.inference.pixels;

import java.util.Locale;

/**
 * What a network expects of pixel values: per channel (R, G, B), {@code (value / 255 - mean) / std}.
 * ImageNet's mean and standard deviation for most PyTorch models (YOLOX, the MobileNetV2 stand-in);
 * plain 0-1 ({@code unit}) for YOLOv5, MegaDetector and SpeciesNet, which divide by 255 and
 * nothing more.
 */
public record Normalisation(float[] mean, float[] std) {

    public static final Normalisation IMAGENET = new Normalisation(new float[] {0.485f, 0.456f, 0.406f},
            new float[] {0.229f, 0.224f, 0.225f});
    public static final Normalisation UNIT = new Normalisation(new float[] {0, 0, 0}, new float[] {1, 1, 1});

    public Normalisation {
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("a mean and a standard deviation per channel, R, G, B");
        }
        mean = mean.clone();
        std = std.clone();
    }

    public static Normalisation parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "imagenet" -> IMAGENET;
            case "unit" -> UNIT;
            default -> throw new IllegalArgumentException("normalisation must be imagenet or unit, not '" + value + "'");
        };
    }

    // records compare arrays by reference: compare their values
    @Override
    public boolean equals(Object other) {
        return other instanceof Normalisation n && java.util.Arrays.equals(mean, n.mean) && java.util.Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(mean) + java.util.Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalisation[mean=" + java.util.Arrays.toString(mean) + ", std=" + java.util.Arrays.toString(std) + "]";
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }
}
