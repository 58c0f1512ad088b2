package org.trapline.species.model;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import ai.djl.Model;
import ai.djl.translate.TranslateException;
import ai.onnxruntime.OrtException;
import org.trapline.inference.onnx.OnnxSessions;
import org.trapline.inference.onnx.OnnxThreading;
import org.trapline.inference.onnx.PredictorPool;
import org.trapline.inference.pixels.InputLayout;
import org.trapline.inference.pixels.Normalisation;

/**
 * Any ONNX image classifier given by path (a SpeciesNet export, or the MobileNetV2 stand-in), through
 * DJL's ONNX Runtime engine, opened by {@link OnnxSessions} from the local file only: crops in, one
 * probability per class out, crops batched through one inference call each {@code batchSize}, on a pool
 * of predictors so that several threads can classify at once.
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
     * @param threading      predictors (one per thread that classifies at the same time), ONNX Runtime's
     *                       threads inside one inference, and whether they spin (see {@link OnnxSessions})
     */
    public record Settings(Path modelPath, String outputName, int inputSize, InputLayout layout, Normalisation normalisation,
                           boolean softmax, int batchSize, OnnxThreading threading) {

        public Settings {
            Objects.requireNonNull(outputName, "outputName");
            Objects.requireNonNull(threading, "threading");
            if (inputSize < 1 || batchSize < 1) {
                throw new IllegalArgumentException("input size and batch size must be positive");
            }
        }

        /** Predictors: threads that may classify at the same time. */
        public int threads() {
            return threading.inferenceThreads();
        }

        /** Threads ONNX Runtime uses inside one inference. */
        public int intraOpThreads() {
            return threading.intraOpThreads();
        }
    }

    private final Settings settings;
    private final Model model;
    private final PredictorPool<List<BufferedImage>, List<float[]>> predictors;

    private ClassifierModel(Settings settings, Model model) {
        this.settings = settings;
        this.model = model;
        this.predictors = new PredictorPool<>(model, new ClassifierTranslator(settings), settings.threads());
    }

    public static ClassifierModel load(Settings settings) throws IOException {
        try {
            Model model = OnnxSessions.open(settings.modelPath(), settings.modelPath().getFileName().toString(),
                    settings.threading()).model();
            return new ClassifierModel(settings, model);
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
        // one predictor for every batch of the call: it waits for a free predictor once, not once a batch
        return predictors.run(predictor -> {
            for (int from = 0; from < crops.size(); from += settings.batchSize()) {
                probabilities.addAll(predictor.predict(crops.subList(from, Math.min(crops.size(), from + settings.batchSize()))));
            }
            return probabilities;
        });
    }

    @Override
    public void close() {
        predictors.close();
        model.close();
    }
}
