package org.trapline.identifier.match;

import java.util.List;

/** Nearest-neighbour search over unit vectors by cosine similarity. */
public interface VectorIndex {

    /** A reference vector that came close, with its similarity. */
    record Hit(String individualId, int referenceId, float similarity) {
    }

    void add(String individualId, float[] unitVector);

    /** The {@code k} nearest references, most similar first. */
    List<Hit> nearest(float[] unitVector, int k);

    int size();
}
