package org.trapline.detector.model;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Fits an image into the network's square input without distorting it: scaled to fit, the rest filled
 * with grey. Remembers how, so that boxes found on the input are put back onto the original image.
 *
 * @param centred YOLOv5/MegaDetector pad evenly on both sides; YOLOX places the image top-left
 */
public record Letterbox(int size, int originalWidth, int originalHeight, float scale, int padX, int padY, boolean centred) {

    public static Letterbox fit(int width, int height, int size, boolean centred) {
        float scale = Math.min((float) size / width, (float) size / height);
        int scaledWidth = Math.round(width * scale);
        int scaledHeight = Math.round(height * scale);
        int padX = centred ? (size - scaledWidth) / 2 : 0;
        int padY = centred ? (size - scaledHeight) / 2 : 0;
        return new Letterbox(size, width, height, scale, padX, padY, centred);
    }

    /** The network input as a BGR byte image: one scaled draw by Java2D onto a grey canvas. */
    public BufferedImage apply(BufferedImage image, int grey) {
        BufferedImage canvas = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setColor(new Color(grey, grey, grey));
            g.fillRect(0, 0, size, size);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, padX, padY, Math.round(originalWidth * scale), Math.round(originalHeight * scale), null);
        } finally {
            g.dispose();
        }
        return canvas;
    }

    /** A candidate's box on the input, back on the original image, normalised and clipped to it. */
    public Box project(Candidate c) {
        float x0 = clamp(((c.cx() - c.w() / 2) - padX) / scale / originalWidth);
        float y0 = clamp(((c.cy() - c.h() / 2) - padY) / scale / originalHeight);
        float x1 = clamp(((c.cx() + c.w() / 2) - padX) / scale / originalWidth);
        float y1 = clamp(((c.cy() + c.h() / 2) - padY) / scale / originalHeight);
        return new Box(c.classIndex(), c.score(), x0, y0, x1 - x0, y1 - y0);
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
