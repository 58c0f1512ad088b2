package org.trapline.identifier.match;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import ai.onnxruntime.OrtException;
import org.trapline.inference.onnx.OnnxSessions;
import org.trapline.inference.onnx.OnnxThreading;
import org.trapline.inference.onnx.PredictorPool;
import org.trapline.inference.pixels.InputLayout;
import org.trapline.inference.pixels.Normalisation;
import org.trapline.inference.pixels.PixelTensor;
import org.trapline.inference.pixels.Resize;

/**
 * Any ONNX embedding network given by path (MiewID and MegaDescriptor exports, or the MobileNetV2
 * stand-in), through DJL's ONNX Runtime engine, opened by {@link OnnxSessions} as the detector's and the
 * classifier's networks are (so its threads sleep between inferences, leaving the cores to the rest of
 * the identifier): crops resized to the network's square input, ImageNet normalisation, the named output
 * read and scaled to unit length, so that cosine similarity is a dot product.
 */
public final class EmbeddingModel implements AutoCloseable {

    /**
     * What to load: the file, its input size, which of its outputs is the embedding, and its threading
     * (predictors, one per thread that embeds at the same time; ONNX Runtime's threads; spinning).
     */
    public record Settings(Path modelPath, int inputSize, String outputName, OnnxThreading threading) {
    }

    private final Model model;
    private final PredictorPool<List<BufferedImage>, List<float[]>> predictors;

    private EmbeddingModel(Settings settings, Model model) {
        this.model = model;
        this.predictors = new PredictorPool<>(model, new EmbeddingTranslator(settings.inputSize(), settings.outputName()),
                settings.threading().inferenceThreads());
    }

    public static EmbeddingModel load(Settings settings) throws IOException {
        try {
            Model model = OnnxSessions.open(settings.modelPath(), settings.modelPath().getFileName().toString(),
                    settings.threading()).model();
            return new EmbeddingModel(settings, model);
        } catch (OrtException | RuntimeException e) {
            throw new IOException("cannot load the embedding model " + settings.modelPath() + ": " + e.getMessage(), e);
        }
    }

    /** Unit-length embeddings of the crops, in order; waits for a free predictor. */
    public List<float[]> embed(List<BufferedImage> crops) throws TranslateException, InterruptedException {
        return predictors.predict(crops);
    }

    @Override
    public void close() {
        predictors.close();
        model.close();
    }

    /** Crops in, unit vectors out. */
    static final class EmbeddingTranslator implements NoBatchifyTranslator<List<BufferedImage>, List<float[]>> {

        private final int size;
        private final String outputName;
        private final PixelTensor planes = new PixelTensor(Normalisation.IMAGENET, InputLayout.NCHW);

        EmbeddingTranslator(int size, String outputName) {
            this.size = size;
            this.outputName = outputName;
        }

        @Override
        public NDList processInput(TranslatorContext ctx, List<BufferedImage> crops) {
            int plane = size * size;
            float[] tensor = new float[crops.size() * 3 * plane];
            for (int i = 0; i < crops.size(); i++) {
                planes.write(Resize.centreCrop(crops.get(i), size), tensor, i * 3 * plane);
            }
            return new NDList(ctx.getNDManager().create(FloatBuffer.wrap(tensor), new Shape(crops.size(), 3, size, size)));
        }

        @Override
        public List<float[]> processOutput(TranslatorContext ctx, NDList outputs) {
            NDArray output = outputs.get(outputName);
            if (output == null) {
                throw new IllegalArgumentException("the model has no output '" + outputName + "'");
            }
            int batch = (int) output.getShape().get(0);
            float[] values = output.toFloatArray();
            int dimensions = values.length / batch;
            List<float[]> embeddings = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                float[] vector = new float[dimensions];
                System.arraycopy(values, i * dimensions, vector, 0, dimensions);
                embeddings.add(unit(vector));
            }
            return embeddings;
        }

        static float[] unit(float[] vector) {
            double norm = 0;
            for (float v : vector) {
                norm += v * v;
            }
            float scale = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
            for (int i = 0; i < vector.length; i++) {
                vector[i] *= scale;
            }
            return vector;
        }
    }
}
