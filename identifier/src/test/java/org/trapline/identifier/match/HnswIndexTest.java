package org.trapline.identifier.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The HNSW index against exact search on the same synthetic gallery: what it finds, and what it misses. */
class HnswIndexTest {

    @Test
    void findsWhatExactSearchFinds() {
        SyntheticEmbeddings gallery = new SyntheticEmbeddings(2000, 64, 0.6f, 7);
        ExactIndex exact = new ExactIndex();
        try (HnswIndex hnsw = new HnswIndex()) {
            for (int individual = 0; individual < gallery.individuals(); individual++) {
                for (int reference = 0; reference < 4; reference++) {
                    float[] v = gallery.sample(individual);
                    exact.add(SyntheticEmbeddings.name(individual), v);
                    hnsw.add(SyntheticEmbeddings.name(individual), v);
                }
            }
            assertEquals(8000, hnsw.size());
            Random pick = new Random(11);
            int queries = 200;
            double recall = 0;
            int sameFirst = 0;
            for (int q = 0; q < queries; q++) {
                float[] query = gallery.sample(pick.nextInt(gallery.individuals()));
                List<VectorIndex.Hit> truth = exact.nearest(query, 10);
                List<VectorIndex.Hit> found = hnsw.nearest(query, 10);
                Set<Integer> truthIds = new HashSet<>(truth.stream().map(VectorIndex.Hit::referenceId).toList());
                recall += found.stream().filter(h -> truthIds.contains(h.referenceId())).count() / 10.0;
                sameFirst += truth.get(0).individualId().equals(found.get(0).individualId()) ? 1 : 0;
                assertEquals(truth.get(0).similarity(), found.get(0).referenceId() == truth.get(0).referenceId()
                        ? found.get(0).similarity() : truth.get(0).similarity(), 1e-4, "similarities on one scale");
            }
            recall /= queries;
            System.out.printf("HNSW vs exact, 8000 references of 64 dimensions: recall@10 %.3f, same individual first %d/%d%n",
                    recall, sameFirst, queries);
            assertTrue(recall >= 0.9, "recall@10 " + recall);
            assertTrue(sameFirst >= queries * 0.95, "same individual first " + sameFirst + " of " + queries);
        }
    }

    @Test
    void takesEmbeddingsWiderThanLucenesDefaultLimit() {
        // MobileNetV2's features are 1280 wide, MegaDescriptor's 1536: beyond Lucene's default 1024
        SyntheticEmbeddings gallery = new SyntheticEmbeddings(50, 1536, 0.3f, 3);
        try (HnswIndex hnsw = new HnswIndex()) {
            for (int individual = 0; individual < gallery.individuals(); individual++) {
                hnsw.add(SyntheticEmbeddings.name(individual), gallery.sample(individual));
            }
            assertEquals(SyntheticEmbeddings.name(7), hnsw.nearest(gallery.sample(7), 1).get(0).individualId());
        }
    }
}
