package org.trapline.identifier.match;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * One way of telling individuals apart (Wildbook's "algorithm"): an embedding network, local features
 * of spots and scars. It learns individuals from reference crops and proposes ranked candidates for a new
 * crop; deciding is left to the identifier and to people.
 */
public interface Matcher {

    String name();

    /** Learns a reference crop of a known individual. */
    void enrol(String individualId, BufferedImage crop) throws MatchException;

    /** Up to {@code k} individuals, best first, one score each (its best reference). */
    List<Match> candidates(BufferedImage crop, int k) throws MatchException;

    /** A matcher that could not look at a crop. */
    final class MatchException extends Exception {
        public MatchException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
