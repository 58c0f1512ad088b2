package org.trapline.inference.crop;

/**
 * The part of a picture a network sees, in the picture's pixels: top-left corner, width and height.
 * It may reach past the picture's edges ({@link BoxCrop}); what lies outside is padded.
 */
public record CropRegion(int x, int y, int width, int height) {

    public CropRegion {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("an empty crop region: " + width + " x " + height);
        }
    }
}
