package org.trapline.detector.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.trapline.detector.model.Box;
import org.trapline.detector.species.BoxSpecies;
import org.trapline.detector.species.FrameCrops;
import org.trapline.schema.Frame;

/** What became of one record of a poll in the pipeline, once its work is done. */
public sealed interface Step permits Step.NotAFrame, Step.FrameStep {

    /** A record that is not a readable {@code Frame}: a dead letter. */
    record NotAFrame(ConsumerRecord<byte[], byte[]> record, RuntimeException error) implements Step {
    }

    /** A frame, its image being read and prepared, then its boxes found, then its animals named. */
    record FrameStep(ConsumerRecord<byte[], byte[]> record, Frame frame, CompletableFuture<Loaded> loaded,
                     CompletableFuture<Detected> detected, CompletableFuture<BoxSpecies> species) implements Step {

        /** A frame whose work is all done already (tests). */
        public static FrameStep done(ConsumerRecord<byte[], byte[]> record, Frame frame, Loaded loaded, Detected detected,
                                     BoxSpecies species) {
            return new FrameStep(record, frame, CompletableFuture.completedFuture(loaded),
                    CompletableFuture.completedFuture(detected), CompletableFuture.completedFuture(species));
        }

        /** Waits for the image; a store that failed on it is an {@link IOException}. */
        public Loaded awaitLoaded() throws IOException, InterruptedException {
            return join(loaded);
        }

        public Detected awaitDetected() throws IOException, InterruptedException {
            return join(detected);
        }

        public BoxSpecies awaitSpecies() throws IOException, InterruptedException {
            return join(species);
        }

        /** Stops waiting for work whose results will not be used. */
        void cancel() {
            loaded.cancel(false);
            detected.cancel(false);
            species.cancel(false);
        }

        private static <T> T join(CompletableFuture<T> future) throws InterruptedException, IOException {
            try {
                return future.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UncheckedIOException io) {
                    throw io.getCause();
                }
                throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
            }
        }
    }

    /**
     * A frame's image: its bytes (empty when not in the store), whether they are a picture, or why the record is
     * refused.
     */
    record Loaded(Optional<byte[]> bytes, boolean decoded, String refusal) {
        public Loaded(Optional<byte[]> bytes, boolean decoded) {
            this(bytes, decoded, null);
        }
    }

    /** The network's boxes on a frame, and the crops of those the species stage names. */
    record Detected(List<Box> boxes, FrameCrops crops) {
    }
}
