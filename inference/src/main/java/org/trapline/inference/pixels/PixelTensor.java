package org.trapline.inference.pixels;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.FloatBuffer;

/**
 * Writes a picture's pixels into a network's input tensor, normalised, in either layout, with one pass
 * over the picture's BGR bytes through a lookup table per channel: scaling and normalisation cost no
 * arithmetic per pixel (a per-pixel loop of arithmetic costs a detector's frame tens of milliseconds).
 * ONNX Runtime's DJL engine has no NDArray arithmetic of its own; this is where that arithmetic lives
 * instead. One instance may be used by several threads: it only reads its tables.
 */
public final class PixelTensor {

    private final float[][] table = new float[3][256];
    private final InputLayout layout;

    /** {@code (value / 255 - mean[c]) / std[c]} for each channel c, R, G, B, written in {@code layout}. */
    public PixelTensor(Normalisation normalisation, InputLayout layout) {
        float[] mean = normalisation.mean();
        float[] std = normalisation.std();
        for (int channel = 0; channel < 3; channel++) {
            for (int value = 0; value < 256; value++) {
                table[channel][value] = (value / 255f - mean[channel]) / std[channel];
            }
        }
        this.layout = layout;
    }

    /** Writes a {@code TYPE_3BYTE_BGR} picture into {@code tensor} from {@code offset}. */
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
        int pixels = bgr.getWidth() * bgr.getHeight();
        float[] red = table[0];
        float[] green = table[1];
        float[] blue = table[2];
        if (layout == InputLayout.NCHW) {
            int r = offset;
            int g = offset + pixels;
            int b = offset + 2 * pixels;
            for (int p = 0, i = 0; p < pixels; p++, i += 3) {
                tensor.put(b + p, blue[bytes[i] & 0xff]);
                tensor.put(g + p, green[bytes[i + 1] & 0xff]);
                tensor.put(r + p, red[bytes[i + 2] & 0xff]);
            }
        } else {
            for (int i = 0, t = offset; i < 3 * pixels; i += 3, t += 3) {
                tensor.put(t, red[bytes[i + 2] & 0xff]);
                tensor.put(t + 1, green[bytes[i + 1] & 0xff]);
                tensor.put(t + 2, blue[bytes[i] & 0xff]);
            }
        }
    }
}
