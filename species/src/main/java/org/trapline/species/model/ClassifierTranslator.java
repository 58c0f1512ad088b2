package org.trapline.species.model;

import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import org.trapline.inference.pixels.InputLayout;
import org.trapline.inference.pixels.PixelTensor;
import org.trapline.inference.pixels.Resize;

/** A batch of crops in, as one tensor; the named output out, one probability vector per crop. */
final class ClassifierTranslator implements NoBatchifyTranslator<List<BufferedImage>, List<float[]>> {

    /** The output name meaning "the model's first output", for models with one unnamed-in-practice output. */
    static final String FIRST_OUTPUT = "first";

    private final int size;
    private final String outputName;
    private final InputLayout layout;
    private final boolean softmax;
    private final PixelTensor pixels;

    ClassifierTranslator(ClassifierModel.Settings settings) {
        this.size = settings.inputSize();
        this.outputName = settings.outputName();
        this.layout = settings.layout();
        this.softmax = settings.softmax();
        this.pixels = new PixelTensor(settings.normalisation(), settings.layout());
    }

    @Override
    public NDList processInput(TranslatorContext ctx, List<BufferedImage> crops) {
        int perCrop = 3 * size * size;
        float[] tensor = new float[crops.size() * perCrop];
        for (int i = 0; i < crops.size(); i++) {
            pixels.write(fitted(crops.get(i)), tensor, i * perCrop);
        }
        Shape shape = layout == InputLayout.NCHW ? new Shape(crops.size(), 3, size, size) : new Shape(crops.size(), size, size, 3);
        return new NDList(ctx.getNDManager().create(FloatBuffer.wrap(tensor), shape));
    }

    /** The crop as the input's BGR square; crops drawn at the right size already pass as they are. */
    private BufferedImage fitted(BufferedImage crop) {
        if (crop.getWidth() == size && crop.getHeight() == size && crop.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            return crop;
        }
        return Resize.scaled(crop, size, size, BufferedImage.TYPE_3BYTE_BGR, Resize.Interpolation.BILINEAR);
    }

    @Override
    public List<float[]> processOutput(TranslatorContext ctx, NDList outputs) {
        NDArray output = outputs.get(outputName);
        if (output == null && FIRST_OUTPUT.equals(outputName)) {
            output = outputs.get(0);
        }
        if (output == null) {
            List<String> names = new ArrayList<>();
            outputs.forEach(o -> names.add(o.getName()));
            throw new IllegalArgumentException("the classifier has no output '" + outputName + "'; it has " + names);
        }
        int batch = (int) output.getShape().get(0);
        float[] values = output.toFloatArray();
        int classes = values.length / batch;
        List<float[]> probabilities = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            float[] row = new float[classes];
            System.arraycopy(values, i * classes, row, 0, classes);
            if (softmax) {
                Softmax.inPlace(row);
            }
            probabilities.add(row);
        }
        return probabilities;
    }
}
