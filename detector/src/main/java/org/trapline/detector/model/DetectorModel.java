package org.trapline.detector.model;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;

/**
 * A detection network loaded through DJL's ONNX Runtime engine from a local file (nothing is
 * downloaded: run with {@code -Dai.djl.offline=true}), with a pool of predictors so that several
 * inference threads can run at once.
 */
public final class DetectorModel implements AutoCloseable {

    /**
     * What to load and how to read it.
     *
     * @param minScore  the lowest confidence worth decoding (the smallest of the category thresholds)
     * @param threads   predictors, one per inference thread
     * @param intraOpThreads threads ONNX Runtime uses inside one inference
     */
    public record Settings(Path modelPath, ModelFamily family, int inputSize, LabelMap labels, float minScore,
                           float nmsIou, int threads, int intraOpThreads, String name, String version) {
    }

    private final Settings settings;
    private final ZooModel<List<BufferedImage>, List<List<Box>>> model;
    private final BlockingQueue<Predictor<List<BufferedImage>, List<List<Box>>>> predictors;

    private DetectorModel(Settings settings, ZooModel<List<BufferedImage>, List<List<Box>>> model) {
        this.settings = settings;
        this.model = model;
        this.predictors = new ArrayBlockingQueue<>(settings.threads());
        for (int i = 0; i < settings.threads(); i++) {
            predictors.add(model.newPredictor());
        }
    }

    @SuppressWarnings("unchecked")
    public static DetectorModel load(Settings settings) throws IOException {
        Criteria<List<BufferedImage>, List<List<Box>>> criteria = Criteria.builder()
                .setTypes((Class<List<BufferedImage>>) (Class<?>) List.class, (Class<List<List<Box>>>) (Class<?>) List.class)
                .optModelPath(settings.modelPath())
                .optEngine("OnnxRuntime")
                .optOption("intraOpNumThreads", String.valueOf(settings.intraOpThreads()))
                .optTranslator(new DetectionTranslator(settings.family(), settings.inputSize(), settings.labels(),
                        settings.minScore(), settings.nmsIou()))
                .build();
        try {
            return new DetectorModel(settings, criteria.loadModel());
        } catch (ModelNotFoundException | MalformedModelException e) {
            throw new IOException("cannot load the detector model " + settings.modelPath() + ": " + e.getMessage(), e);
        }
    }

    public Settings settings() {
        return settings;
    }

    /** The boxes on each image, in order; waits for a free predictor. */
    public List<List<Box>> detect(List<BufferedImage> images) throws TranslateException, InterruptedException {
        Predictor<List<BufferedImage>, List<List<Box>>> predictor = predictors.take();
        try {
            return predictor.predict(images);
        } finally {
            predictors.add(predictor);
        }
    }

    @Override
    public void close() {
        List<Predictor<List<BufferedImage>, List<List<Box>>>> all = new ArrayList<>();
        predictors.drainTo(all);
        all.forEach(Predictor::close);
        model.close();
    }
}
