package org.trapline.species.model;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * Writes a picture's pixels into a classifier's input tensor, normalised, in either layout, with one pass
 * over the picture's BGR bytes through a lookup table per channel: scaling and normalisation cost no
 * arithmetic per pixel. (ONNX Runtime's DJL engine has no NDArray arithmetic; it lives here instead.)
 */
final class PixelTensor {

    private final float[][] table = new float[3][256];
    private final InputLayout layout;

    PixelTensor(Normalisation normalisation, InputLayout layout) {
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
    void write(BufferedImage bgr, float[] tensor, int offset) {
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
                tensor[b + p] = blue[bytes[i] & 0xff];
                tensor[g + p] = green[bytes[i + 1] & 0xff];
                tensor[r + p] = red[bytes[i + 2] & 0xff];
            }
        } else {
            for (int i = 0, t = offset; i < 3 * pixels; i += 3, t += 3) {
                tensor[t] = red[bytes[i + 2] & 0xff];
                tensor[t + 1] = green[bytes[i + 1] & 0xff];
                tensor[t + 2] = blue[bytes[i] & 0xff];
            }
        }
    }
}
