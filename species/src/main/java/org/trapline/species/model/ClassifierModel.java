package org.trapline.species.model;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * Any ONNX image classifier given by path (a SpeciesNet export, or the MobileNetV2 stand-in), through
 * DJL's ONNX Runtime engine, loaded from the local file only (run with {@code -Dai.djl.offline=true}):
 * crops in, one probability per class out, crops batched through one inference call each
 * {@code batchSize}, on a pool of predictors so that several threads can classify at once.
 */
public final class ClassifierModel implements AutoCloseable {

    /**
     * What to load and how to feed it.
     *
     * @param outputName     the output holding the class scores (a model may have several: the stand-in's
     *                       are "output" and "features"); "first" for the first, when no output has that name
     * @param inputSize      the square input's side in pixels (224 for the stand-in, 480 for SpeciesNet)
     * @param softmax        whether the output is logits to be turned into probabilities (false when the
     *                       model already ends in a softmax)
     * @param batchSize      crops per inference call (1 for a model whose batch dimension is fixed)
     * @param threads        predictors, one per thread that classifies at the same time
     * @param intraOpThreads threads ONNX Runtime uses inside one inference
     * @param spinning       whether those threads spin while idle instead of sleeping (see {@link OnnxModels})
     */
    public record Settings(Path modelPath, String outputName, int inputSize, InputLayout layout, Normalisation normalisation,
                           boolean softmax, int batchSize, int threads, int intraOpThreads, boolean spinning) {

        public Settings {
            java.util.Objects.requireNonNull(outputName, "outputName");
            if (inputSize < 1 || batchSize < 1 || threads < 1 || intraOpThreads < 1) {
                throw new IllegalArgumentException("input size, batch size and thread counts must be positive");
            }
        }
    }

    private final Settings settings;
    private final Model model;
    private final BlockingQueue<Predictor<List<BufferedImage>, List<float[]>>> predictors;

    private ClassifierModel(Settings settings, Model model) {
        this.settings = settings;
        this.model = model;
        this.predictors = new ArrayBlockingQueue<>(settings.threads());
        ClassifierTranslator translator = new ClassifierTranslator(settings);
        for (int i = 0; i < settings.threads(); i++) {
            predictors.add(model.newPredictor(translator));
        }
    }

    public static ClassifierModel load(Settings settings) throws IOException {
        try {
            OrtSession session = OnnxModels.session(settings.modelPath(), settings.intraOpThreads(), settings.spinning());
            return new ClassifierModel(settings, OnnxModels.model(settings.modelPath().getFileName().toString(), session));
        } catch (OrtException | RuntimeException e) {
            throw new IOException("cannot load the classifier " + settings.modelPath() + ": " + e.getMessage(), e);
        }
    }

    public Settings settings() {
        return settings;
    }

    /**
     * The class probabilities of each crop, in order. Crops should already be {@code inputSize} square
     * {@code TYPE_3BYTE_BGR} pictures (as {@code BoxCrop} draws them); others are scaled to it first.
     */
    public List<float[]> classify(List<BufferedImage> crops) throws TranslateException, InterruptedException {
        List<float[]> probabilities = new ArrayList<>(crops.size());
        if (crops.isEmpty()) {
            return probabilities;
        }
        Predictor<List<BufferedImage>, List<float[]>> predictor = predictors.take();
        try {
            for (int from = 0; from < crops.size(); from += settings.batchSize()) {
                probabilities.addAll(predictor.predict(crops.subList(from, Math.min(crops.size(), from + settings.batchSize()))));
            }
        } finally {
            predictors.add(predictor);
        }
        return probabilities;
    }

    @Override
    public void close() {
        List<Predictor<List<BufferedImage>, List<float[]>>> all = new ArrayList<>();
        predictors.drainTo(all);
        all.forEach(Predictor::close);
        model.close();
    }
}
