package org.trapline.inference.pixels;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Pictures brought to a network's input size, each in one Java2D draw (no per-pixel Java code), into a
 * new image of the type the next step reads: {@code TYPE_3BYTE_BGR} for {@link PixelTensor}, grey for a
 * feature detector.
 */
public final class Resize {

    /** How the draw interpolates: bilinear where a network's own preprocessing is, bicubic for fine detail. */
    public enum Interpolation {
        BILINEAR(RenderingHints.VALUE_INTERPOLATION_BILINEAR),
        BICUBIC(RenderingHints.VALUE_INTERPOLATION_BICUBIC);

        private final Object hint;

        Interpolation(Object hint) {
            this.hint = hint;
        }
    }

    private Resize() {
    }

    /** The picture drawn at {@code width × height} into a new image of {@code type} (BGR, grey, …). */
    public static BufferedImage scaled(BufferedImage image, int width, int height, int type, Interpolation interpolation) {
        BufferedImage target = new BufferedImage(width, height, type);
        draw(target, image, 0, 0, width, height, interpolation);
        return target;
    }

    /**
     * ImageNet's evaluation crop as BGR bytes: scaled so that its shorter side is {@code size × 256 / 224},
     * then the centre {@code size × size} square, bilinear.
     */
    public static BufferedImage centreCrop(BufferedImage image, int size) {
        float scale = size * 256f / 224f / Math.min(image.getWidth(), image.getHeight());
        int scaledWidth = Math.round(image.getWidth() * scale);
        int scaledHeight = Math.round(image.getHeight() * scale);
        BufferedImage target = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
        draw(target, image, (size - scaledWidth) / 2, (size - scaledHeight) / 2, scaledWidth, scaledHeight,
                Interpolation.BILINEAR);
        return target;
    }

    private static void draw(BufferedImage target, BufferedImage image, int x, int y, int width, int height,
                             Interpolation interpolation) {
        Graphics2D g = target.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation.hint);
            g.drawImage(image, x, y, width, height, null);
        } finally {
            g.dispose();
        }
    }
}
