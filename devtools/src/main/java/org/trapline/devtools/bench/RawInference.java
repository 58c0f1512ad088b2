package org.trapline.devtools.bench;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.trapline.detector.model.DetectorModel;

/**
 * The detector's network in a plain loop, the baseline the benchmarks hold the services against: the
 * images through {@code DetectorModel.detect} on a number of inference threads, a batch a call, nothing
 * else (no Kafka, no blob store, no decisions).
 */
record RawInference(DetectorModel model, ExecutorService pool, int threads, int batchSize) {

    /** The images {@code times} over; the seconds it took. */
    double run(List<Supplier<BufferedImage>> images, int times) throws Exception {
        long begin = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        int total = images.size() * times;
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndAdd(batchSize); i < total; i = next.getAndAdd(batchSize)) {
                    List<BufferedImage> batch = new ArrayList<>();
                    for (int j = i; j < Math.min(total, i + batchSize); j++) {
                        batch.add(images.get(j % images.size()).get());
                    }
                    model.detect(batch);
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        return (System.nanoTime() - begin) / 1e9;
    }
}
