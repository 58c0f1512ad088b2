package org.trapline.detector.model;

/**
 * One detection on one image, in MegaDetector's convention: the model's class, its confidence, and the
 * box's top-left corner, width and height normalised to the original image, each in [0, 1].
 */
public record Box(int classIndex, float confidence, float x, float y, float width, float height) {

    public float area() {
        return width * height;
    }

    /** Intersection over union with another box. */
    public float iou(Box other) {
        float ix = Math.max(0, Math.min(x + width, other.x + other.width) - Math.max(x, other.x));
        float iy = Math.max(0, Math.min(y + height, other.y + other.height) - Math.max(y, other.y));
        float intersection = ix * iy;
        float union = area() + other.area() - intersection;
        return union <= 0 ? 0 : intersection / union;
    }
}
