package org.trapline.detector.model;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.FloatBuffer;

/**
 * Turns a picture into the normalised RGB planes a network reads ({@code [3, H, W]}, channel by
 * channel), in one pass over the picture's BGR bytes through a lookup table per channel, so that
 * scaling and normalisation cost no arithmetic per pixel. ONNX Runtime's DJL engine has no NDArray
 * arithmetic of its own; this is where that arithmetic lives instead.
 */
public final class RgbPlanes {

    /** ImageNet's channel means and standard deviations, on values scaled to 0–1. */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    private final float[][] table = new float[3][256];

    /** {@code (value / 255 - mean[c]) / std[c]} for each channel c, R, G, B. */
    public RgbPlanes(float[] mean, float[] std) {
        for (int channel = 0; channel < 3; channel++) {
            for (int value = 0; value < 256; value++) {
                table[channel][value] = (value / 255f - mean[channel]) / std[channel];
            }
        }
    }

    /** Writes the planes of a {@code TYPE_3BYTE_BGR} image into {@code tensor} from {@code offset}. */
    public void write(BufferedImage bgr, float[] tensor, int offset) {
        write(bgr, FloatBuffer.wrap(tensor), offset);
    }

    /**
     * The same into a buffer from {@code offset} (absolute puts: its position and limit are left alone),
     * so that a network's input can be written straight into the direct buffer ONNX Runtime reads.
     */
    public void write(BufferedImage bgr, FloatBuffer tensor, int offset) {
        if (bgr.getType() != BufferedImage.TYPE_3BYTE_BGR) {
            throw new IllegalArgumentException("expected a TYPE_3BYTE_BGR image, not type " + bgr.getType());
        }
        byte[] bytes = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        int plane = bgr.getWidth() * bgr.getHeight();
        float[] red = table[0];
        float[] green = table[1];
        float[] blue = table[2];
        int r = offset;
        int g = offset + plane;
        int b = offset + 2 * plane;
        for (int p = 0, i = 0; p < plane; p++, i += 3) {
            tensor.put(b + p, blue[bytes[i] & 0xff]);
            tensor.put(g + p, green[bytes[i + 1] & 0xff]);
            tensor.put(r + p, red[bytes[i + 2] & 0xff]);
        }
    }

    /**
     * ImageNet's evaluation crop as BGR bytes, in one Java2D draw: scaled so that its shorter side is
     * {@code size × 256 / 224}, then the centre {@code size × size} square.
     */
    public static BufferedImage centreCrop(BufferedImage image, int size) {
        float scale = size * 256f / 224f / Math.min(image.getWidth(), image.getHeight());
        int scaledWidth = Math.round(image.getWidth() * scale);
        int scaledHeight = Math.round(image.getHeight() * scale);
        BufferedImage target = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = target.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, (size - scaledWidth) / 2, (size - scaledHeight) / 2, scaledWidth, scaledHeight, null);
        } finally {
            g.dispose();
        }
        return target;
    }

    /** The picture drawn at {@code width × height} into a new image of {@code type} (BGR, grey, …), bicubic. */
    public static BufferedImage scaled(BufferedImage image, int width, int height, int type) {
        BufferedImage target = new BufferedImage(width, height, type);
        Graphics2D g = target.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return target;
    }
}
