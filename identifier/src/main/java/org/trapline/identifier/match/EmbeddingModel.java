package org.trapline.identifier.match;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import org.trapline.inference.pixels.InputLayout;
import org.trapline.inference.pixels.Normalisation;
import org.trapline.inference.pixels.PixelTensor;
import org.trapline.inference.pixels.Resize;

/**
 * Any ONNX embedding network given by path (MiewID and MegaDescriptor exports, or the MobileNetV2
 * stand-in), through DJL's ONNX Runtime engine: crops resized to the network's square input, ImageNet
 * normalisation, the named output read and scaled to unit length, so that cosine similarity is a dot
 * product.
 */
public final class EmbeddingModel implements AutoCloseable {

    /** What to load: the file, its input size, and which of its outputs is the embedding. */
    public record Settings(Path modelPath, int inputSize, String outputName) {
    }

    private final ZooModel<List<BufferedImage>, List<float[]>> model;
    private final Predictor<List<BufferedImage>, List<float[]>> predictor;

    private EmbeddingModel(ZooModel<List<BufferedImage>, List<float[]>> model) {
        this.model = model;
        this.predictor = model.newPredictor();
    }

    @SuppressWarnings("unchecked")
    public static EmbeddingModel load(Settings settings) throws IOException {
        Criteria<List<BufferedImage>, List<float[]>> criteria = Criteria.builder()
                .setTypes((Class<List<BufferedImage>>) (Class<?>) List.class, (Class<List<float[]>>) (Class<?>) List.class)
                .optModelPath(settings.modelPath())
                .optEngine("OnnxRuntime")
                .optTranslator(new EmbeddingTranslator(settings.inputSize(), settings.outputName()))
                .build();
        try {
            return new EmbeddingModel(criteria.loadModel());
        } catch (ModelNotFoundException | MalformedModelException e) {
            throw new IOException("cannot load the embedding model " + settings.modelPath() + ": " + e.getMessage(), e);
        }
    }

    /** Unit-length embeddings of the crops, in order. */
    public synchronized List<float[]> embed(List<BufferedImage> crops) throws TranslateException {
        return predictor.predict(crops);
    }

    @Override
    public synchronized void close() {
        predictor.close();
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
