package org.trapline.species;

import java.awt.image.BufferedImage;
import java.util.List;

import org.trapline.species.rollup.Place;

/** One decoded frame, the boxes on it to classify, and where it was taken. */
public record FrameBoxes(BufferedImage frame, List<AnimalBox> boxes, Place place) {

    public FrameBoxes {
        boxes = List.copyOf(boxes);
    }
}
