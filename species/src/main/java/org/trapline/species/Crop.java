package org.trapline.species;

import java.awt.image.BufferedImage;

import org.trapline.species.rollup.Place;

/**
 * One box's crop, already drawn at the classifier's input size ({@link SpeciesStage#crop}), with the box
 * it was cut from (the detector's category and confidence take part in the rollup) and where its frame
 * was taken (for the geofence).
 */
public record Crop(BufferedImage image, AnimalBox box, Place place) {
}
