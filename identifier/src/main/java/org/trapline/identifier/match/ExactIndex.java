package org.trapline.identifier.match;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Every reference compared with the query: exact, and the baseline an approximate index is measured
 * against (its recall, its speed-up). Fine for a reserve's few thousand references.
 */
public final class ExactIndex implements VectorIndex {

    private final List<String> individuals = new ArrayList<>();
    private final List<float[]> vectors = new ArrayList<>();

    @Override
    public synchronized void add(String individualId, float[] unitVector) {
        individuals.add(individualId);
        vectors.add(unitVector.clone());
    }

    @Override
    public synchronized List<Hit> nearest(float[] query, int k) {
        PriorityQueue<Hit> best = new PriorityQueue<>(Comparator.comparingDouble(Hit::similarity));
        for (int i = 0; i < vectors.size(); i++) {
            float similarity = dot(query, vectors.get(i));
            if (best.size() < k) {
                best.add(new Hit(individuals.get(i), i, similarity));
            } else if (similarity > best.peek().similarity()) {
                best.poll();
                best.add(new Hit(individuals.get(i), i, similarity));
            }
        }
        List<Hit> hits = new ArrayList<>(best);
        hits.sort(Comparator.comparingDouble(Hit::similarity).reversed());
        return hits;
    }

    @Override
    public synchronized int size() {
        return vectors.size();
    }

    static float dot(float[] a, float[] b) {
        float sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
