package org.trapline.identifier.match;

import java.util.Random;

/**
 * Made-up galleries for tests and benchmarks, shaped like real ones: each individual a random direction,
 * its references and later sightings that direction plus noise, all of unit length. (Uniformly random
 * vectors would be easier to tell apart and harder for an approximate index: no real gallery looks so.)
 */
public final class SyntheticEmbeddings {

    private final int dimensions;
    private final float noise;
    private final float[][] centres;
    private final Random random;

    public SyntheticEmbeddings(int individuals, int dimensions, float noise, long seed) {
        this.dimensions = dimensions;
        this.noise = noise;
        this.random = new Random(seed);
        this.centres = new float[individuals][];
        for (int i = 0; i < individuals; i++) {
            centres[i] = unit(gaussian(1f));
        }
    }

    public int individuals() {
        return centres.length;
    }

    public static String name(int individual) {
        return "ind-" + individual;
    }

    /** A photo of {@code individual}: its direction plus noise. */
    public float[] sample(int individual) {
        float[] v = gaussian(noise);
        for (int d = 0; d < dimensions; d++) {
            v[d] += centres[individual][d];
        }
        return unit(v);
    }

    private float[] gaussian(float scale) {
        float[] v = new float[dimensions];
        for (int d = 0; d < dimensions; d++) {
            v[d] = (float) random.nextGaussian() * scale / (float) Math.sqrt(dimensions);
        }
        return v;
    }

    static float[] unit(float[] v) {
        return EmbeddingModel.EmbeddingTranslator.unit(v);
    }
}
