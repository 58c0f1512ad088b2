package org.trapline.species;

import org.trapline.schema.Detection;
import org.trapline.schema.DetectionCategory;

/**
 * A box to classify: the detector's category and confidence, and the box as MegaDetector writes it
 * (top-left corner, width, height, normalised to the frame).
 *
 * @param category the detector's category; null for a whole frame that no detection stands behind
 */
public record AnimalBox(DetectionCategory category, float confidence, float x, float y, float width, float height) {

    /** A detection as the detector publishes it. */
    public static AnimalBox of(Detection detection) {
        var b = detection.getBbox();
        return new AnimalBox(detection.getCategory(), detection.getConfidence(), b.getX(), b.getY(), b.getWidth(), b.getHeight());
    }

    /** The whole frame, with no detection behind it (for checking what the classifier makes of a frame). */
    public static AnimalBox wholeFrame() {
        return new AnimalBox(null, 0, 0, 0, 1, 1);
    }
}
