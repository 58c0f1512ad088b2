package org.trapline.detector.model;

import java.awt.image.BufferedImage;

/**
 * An image ready for the network: letterboxed to its square input as BGR bytes, and the letterbox that
 * puts boxes found on it back onto the original. A third of the size of the float planes the network
 * reads, which are written straight into the predictor's input buffer at inference time.
 */
public record PreparedImage(BufferedImage pixels, Letterbox letterbox) {
}
