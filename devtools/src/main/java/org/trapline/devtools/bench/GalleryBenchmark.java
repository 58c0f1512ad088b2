package org.trapline.devtools.bench;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;

import org.trapline.identifier.match.ExactIndex;
import org.trapline.identifier.match.HnswIndex;
import org.trapline.identifier.match.SyntheticEmbeddings;
import org.trapline.identifier.match.VectorIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Gallery search at scale: the same synthetic references in Lucene's HNSW index and in the exact index,
 * the same queries against both, in one run: latency of each (p50, p99), the speed-up, and the HNSW
 * index's recall@10 against the exact answer.
 */
@Command(name = "gallery", mixinStandardHelpOptions = true,
        description = "HNSW gallery search beside exact search on synthetic embeddings: latency, speed-up, recall@10.")
public final class GalleryBenchmark implements Callable<Integer> {

    @Option(names = "--size", defaultValue = "1000000", description = "References in the gallery (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--references", defaultValue = "4", description = "References per individual (default: ${DEFAULT-VALUE}).")
    int referencesPerIndividual;

    @Option(names = "--dimensions", defaultValue = "128", description = "Embedding size (default: ${DEFAULT-VALUE}).")
    int dimensions;

    @Option(names = "--queries", defaultValue = "500", description = "Queries (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--k", defaultValue = "10", description = "Neighbours asked for (default: ${DEFAULT-VALUE}).")
    int k;

    @Override
    public Integer call() {
        int individuals = size / referencesPerIndividual;
        SyntheticEmbeddings gallery = new SyntheticEmbeddings(individuals, dimensions, 0.6f, 42);
        ExactIndex exact = new ExactIndex();
        long built;
        try (HnswIndex hnsw = new HnswIndex()) {
            long start = System.nanoTime();
            for (int individual = 0; individual < individuals; individual++) {
                for (int r = 0; r < referencesPerIndividual; r++) {
                    float[] v = gallery.sample(individual);
                    exact.add(SyntheticEmbeddings.name(individual), v);
                    hnsw.add(SyntheticEmbeddings.name(individual), v);
                }
            }
            hnsw.refresh();
            built = System.nanoTime() - start;

            Random pick = new Random(7);
            float[][] asked = new float[queries][];
            for (int q = 0; q < queries; q++) {
                asked[q] = gallery.sample(pick.nextInt(individuals));
            }
            for (int q = 0; q < Math.min(50, queries); q++) {  // warm-up
                exact.nearest(asked[q], k);
                hnsw.nearest(asked[q], k);
            }
            long[] exactNanos = new long[queries];
            long[] hnswNanos = new long[queries];
            double recall = 0;
            for (int q = 0; q < queries; q++) {
                long t0 = System.nanoTime();
                List<VectorIndex.Hit> truth = exact.nearest(asked[q], k);
                long t1 = System.nanoTime();
                List<VectorIndex.Hit> found = hnsw.nearest(asked[q], k);
                long t2 = System.nanoTime();
                exactNanos[q] = t1 - t0;
                hnswNanos[q] = t2 - t1;
                Set<Integer> truthIds = new HashSet<>(truth.stream().map(VectorIndex.Hit::referenceId).toList());
                recall += found.stream().filter(h -> truthIds.contains(h.referenceId())).count() / (double) k;
            }
            recall /= queries;
            Arrays.sort(exactNanos);
            Arrays.sort(hnswNanos);
            System.out.printf("%nGallery benchmark: %,d references (%,d individuals x %d) of %d dimensions, %d queries, k=%d, "
                            + "built in %.0f s, %d cores%n%n", size, individuals, referencesPerIndividual, dimensions, queries, k,
                    built / 1e9, Runtime.getRuntime().availableProcessors());
            System.out.printf("| search | p50 ms | p99 ms | speed-up (p50) | recall@%d |%n|---|---:|---:|---:|---:|%n", k);
            System.out.printf("| exact (every reference) | %.2f | %.2f | 1.0 | 1.000 |%n", percentile(exactNanos, 50), percentile(exactNanos, 99));
            System.out.printf("| HNSW (Lucene, M 16, beam 100, breadth 100) | %.2f | %.2f | %.0f | %.3f |%n",
                    percentile(hnswNanos, 50), percentile(hnswNanos, 99),
                    percentile(exactNanos, 50) / percentile(hnswNanos, 50), recall);
        }
        return 0;
    }

    private static double percentile(long[] sortedNanos, int p) {
        return sortedNanos[Math.min(sortedNanos.length - 1, (int) Math.ceil(p / 100.0 * sortedNanos.length) - 1)] / 1e6;
    }
}
