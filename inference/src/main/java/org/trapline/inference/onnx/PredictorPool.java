package org.trapline.inference.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;

/**
 * A model's predictors, one per thread that may run it at the same time ({@link OnnxThreading#inferenceThreads}):
 * a DJL predictor is not to be shared between threads, and ONNX Runtime runs one session's inferences
 * side by side when each comes through its own predictor. A caller waits for a free one.
 */
public final class PredictorPool<I, O> implements AutoCloseable {

    /** What a caller does with the predictor it was lent. */
    @FunctionalInterface
    public interface Work<I, O, R> {
        R apply(Predictor<I, O> predictor) throws TranslateException;
    }

    private final int size;
    private final BlockingQueue<Predictor<I, O>> free;
    private final AtomicBoolean closed = new AtomicBoolean();

    public PredictorPool(Model model, Translator<I, O> translator, int size) {
        this.size = size;
        this.free = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            free.add(model.newPredictor(translator));
        }
    }

    /** The work done on a free predictor, waited for; the predictor is free again afterwards, whatever happened. */
    public <R> R run(Work<I, O, R> work) throws TranslateException, InterruptedException {
        Predictor<I, O> predictor = free.take();
        try {
            return work.apply(predictor);
        } finally {
            free.add(predictor);
        }
    }

    /** One input through a free predictor. */
    public O predict(I input) throws TranslateException, InterruptedException {
        return run(predictor -> predictor.predict(input));
    }

    /**
     * Closes every predictor, waiting for those still in use: the model beneath them is closed next, and a
     * predictor must not be running when it is. Interrupted, it closes those it has and keeps the interrupt.
     * Closing again does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<Predictor<I, O>> all = new ArrayList<>(size);
        try {
            while (all.size() < size) {
                all.add(free.take());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            all.forEach(Predictor::close);
        }
    }
}
