package org.trapline.inference.crop;

import java.awt.image.BufferedImage;

/**
 * The identifier's crop: a detection box widened by a margin, clipped to the picture, cut at the
 * picture's own pixels (a view of them, not a copy). A small margin keeps the outline of the animal
 * (ears, tail, the edge of a pattern) that a tight box cuts off. Unlike {@link BoxCrop} it neither pads
 * nor resizes: each matcher brings the crop to the size it reads, and grey padding would give a
 * local-feature matcher edges that are no part of the animal.
 */
public final class ClippedCrop {

    private final float margin;

    /** @param margin added on each side, as a share of the box's width and height */
    public ClippedCrop(float margin) {
        this.margin = margin;
    }

    /**
     * The region for a box given as MegaDetector writes it (top-left corner, width and height, normalised
     * to the picture): the box and its margin, kept inside the picture, at least one pixel each way.
     */
    public CropRegion region(int pictureWidth, int pictureHeight, float x, float y, float width, float height) {
        float x0 = (x - margin * width) * pictureWidth;
        float y0 = (y - margin * height) * pictureHeight;
        float x1 = (x + (1 + margin) * width) * pictureWidth;
        float y1 = (y + (1 + margin) * height) * pictureHeight;
        int left = clamp(Math.round(x0), 0, pictureWidth - 1);
        int top = clamp(Math.round(y0), 0, pictureHeight - 1);
        int right = clamp(Math.round(x1), left + 1, pictureWidth);
        int bottom = clamp(Math.round(y1), top + 1, pictureHeight);
        return new CropRegion(left, top, right - left, bottom - top);
    }

    /** The box's crop: {@link #region}, cut from the picture. */
    public BufferedImage crop(BufferedImage picture, float x, float y, float width, float height) {
        CropRegion region = region(picture.getWidth(), picture.getHeight(), x, y, width, height);
        return picture.getSubimage(region.x(), region.y(), region.width(), region.height());
    }

    public float margin() {
        return margin;
    }

    private static int clamp(int value, int min, int max) {
        return Math.max(min, Math.min(max, value));
    }
}
