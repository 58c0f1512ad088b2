package org.trapline.identifier.match;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Optional;

/**
 * One way of telling individuals apart (Wildbook's "algorithm"): an embedding network, local features
 * of spots and scars. It learns reference crops under a key and proposes ranked keys for a new crop;
 * deciding is left to the identifier and to people. The identifier enrols each reference crop under a key
 * of its own and keeps which individual owns which key, so that a merge or a split moves references
 * without enrolling them again.
 */
public interface Matcher {

    String name();

    /** The crop as this matcher sees it, computed once, to search with and then perhaps to enrol. */
    Probe probe(BufferedImage crop) throws MatchException;

    /**
     * Enrols a reference from features stored earlier with it ({@link Probe#storable()}); false when this
     * matcher stores none and needs the crop itself.
     */
    boolean enrolStored(String key, float[] features);

    /** Learns a reference crop under {@code key}. */
    default void enrol(String key, BufferedImage crop) throws MatchException {
        probe(crop).enrol(key);
    }

    /** Up to {@code k} keys, best first, one score each (the key's best reference). */
    default List<Match> candidates(BufferedImage crop, int k) throws MatchException {
        return probe(crop).candidates(k);
    }

    /** A crop's features for one matcher. */
    interface Probe {

        /** Up to {@code k} enrolled keys, most alike first. */
        List<Match> candidates(int k);

        /** Adds this crop as a reference under {@code key}. */
        void enrol(String key);

        /** Features small enough to keep with the reference on the gallery topic, when this matcher has them. */
        Optional<float[]> storable();
    }

    /** A matcher that could not look at a crop. */
    final class MatchException extends Exception {
        public MatchException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
