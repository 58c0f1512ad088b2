package org.trapline.detector.model;

import java.awt.image.BufferedImage;

/**
 * An image ready for the network: letterboxed to its square input as BGR bytes, and the letterbox that
 * puts boxes found on it back onto the original. A third of the size of the float planes the network
 * reads, which are written straight into the predictor's input buffer at inference time.
 *
 * @param decoded the picture as decoded (reduced to no less than the network's input where a JPEG
 *                allows), which the letterbox was drawn from: the species stage crops the boxes from it,
 *                so that no frame is decoded twice. Whoever holds this record keeps it in memory: drop it
 *                once the boxes are cropped.
 */
public record PreparedImage(BufferedImage pixels, Letterbox letterbox, BufferedImage decoded) {
}
