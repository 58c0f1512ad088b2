package org.trapline.inference.crop;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * The species classifier's crop: decides which part of a frame the classifier sees for one detection
 * box, and draws it at the classifier's input size in one Java2D draw (no per-pixel Java code). (The
 * identifier's crop, the box at the picture's own pixels, is {@link ClippedCrop}.)
 *
 * <p>Square (the default): a square around the box's centre whose side is the box's longer side plus
 * {@code margin} of it on each side, so the animal keeps its proportions and some of its surroundings,
 * as classifiers trained on square camera-trap crops see them; where the square reaches past the frame,
 * the rest is padded in neutral grey rather than shifted, so the animal stays in the centre. Not square:
 * the box itself plus the margin, stretched to the input, which is what SpeciesNet's released code
 * feeds its classifier (the box as is, resized to 480 x 480).
 */
public final class BoxCrop {

    /** Padding where a crop reaches past the frame: mid grey, close to zero after any usual normalisation. */
    static final Color PADDING = new Color(128, 128, 128);

    private final float margin;
    private final boolean square;

    /**
     * @param margin fraction of the box's longer side (square) or of each side (not square) added on each side
     */
    public BoxCrop(float margin, boolean square) {
        if (!(margin >= 0 && margin <= 2)) {
            throw new IllegalArgumentException("crop margin must be in [0, 2], not " + margin);
        }
        this.margin = margin;
        this.square = square;
    }

    /**
     * The region for a box given as MegaDetector writes it: top-left corner, width and height, normalised
     * to the frame ({@code [0, 1]}).
     */
    public CropRegion region(int frameWidth, int frameHeight, float x, float y, float width, float height) {
        double bx = x * (double) frameWidth;
        double by = y * (double) frameHeight;
        double bw = Math.max(1, width * (double) frameWidth);
        double bh = Math.max(1, height * (double) frameHeight);
        double cx = bx + bw / 2;
        double cy = by + bh / 2;
        double w;
        double h;
        if (square) {
            w = Math.max(bw, bh) * (1 + 2 * margin);
            h = w;
        } else {
            w = bw * (1 + 2 * margin);
            h = bh * (1 + 2 * margin);
        }
        int side = (int) Math.max(1, Math.round(w));
        int tall = (int) Math.max(1, Math.round(h));
        return new CropRegion((int) Math.round(cx - side / 2.0), (int) Math.round(cy - tall / 2.0), side, tall);
    }

    /** The region drawn at {@code size x size}, as {@code TYPE_3BYTE_BGR}, padded where it leaves the frame. */
    public static BufferedImage render(BufferedImage frame, CropRegion region, int size) {
        BufferedImage target = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = target.createGraphics();
        try {
            int sx1 = Math.max(0, region.x());
            int sy1 = Math.max(0, region.y());
            int sx2 = Math.min(frame.getWidth(), region.x() + region.width());
            int sy2 = Math.min(frame.getHeight(), region.y() + region.height());
            boolean inside = sx1 == region.x() && sy1 == region.y()
                    && sx2 == region.x() + region.width() && sy2 == region.y() + region.height();
            if (!inside) {
                g.setColor(PADDING);
                g.fillRect(0, 0, size, size);
            }
            if (sx2 > sx1 && sy2 > sy1) {
                double scaleX = size / (double) region.width();
                double scaleY = size / (double) region.height();
                int dx1 = (int) Math.round((sx1 - region.x()) * scaleX);
                int dy1 = (int) Math.round((sy1 - region.y()) * scaleY);
                int dx2 = (int) Math.round((sx2 - region.x()) * scaleX);
                int dy2 = (int) Math.round((sy2 - region.y()) * scaleY);
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(frame, dx1, dy1, dx2, dy2, sx1, sy1, sx2, sy2, null);
            }
        } finally {
            g.dispose();
        }
        return target;
    }

    /** The box's crop at {@code size x size}: {@link #region} then {@link #render}. */
    public BufferedImage crop(BufferedImage frame, float x, float y, float width, float height, int size) {
        return render(frame, region(frame.getWidth(), frame.getHeight(), x, y, width, height), size);
    }

    public float margin() {
        return margin;
    }

    public boolean square() {
        return square;
    }
}
