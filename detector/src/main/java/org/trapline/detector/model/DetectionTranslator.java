package org.trapline.detector.model;

import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.onnxruntime.engine.OrtNDArray;
import ai.djl.translate.TranslatorContext;
import org.trapline.detector.image.ImageDecoder;
import org.trapline.inference.pixels.InputLayout;
import org.trapline.inference.pixels.PixelTensor;

/**
 * Images in, boxes out, for one detection network family. In: each image decoded and letterboxed
 * ({@link #prepare}, which a service runs ahead on another thread), then turned into the RGB planes the
 * network reads ({@link PixelTensor}), all images of the call stacked one after another into one
 * {@code [N, 3, S, S]} tensor. Out: the output split into the images' equal slices, candidates decoded,
 * those of classes in no category dropped, put back onto their image, suppressed by NMS within each
 * category.
 */
final class DetectionTranslator implements NoBatchifyTranslator<DetectionTranslator.Batch, List<List<Box>>> {

    /** The images of one call and the direct buffer their planes are written into. */
    record Batch(List<PreparedImage> images, FloatBuffer tensor) {
    }

    private static final String LETTERBOXES = "letterboxes";

    private final ModelFamily family;
    private final LabelMap labels;
    private final int inputSize;
    private final ModelFamily.Decoder decoder;
    private final float minScore;
    private final float nmsIou;
    private final PixelTensor planes;
    private final ImageDecoder pictures;

    DetectionTranslator(ModelFamily family, int inputSize, LabelMap labels, float minScore, float nmsIou) {
        this.family = family;
        this.labels = labels;
        this.inputSize = inputSize;
        this.decoder = family.decoder(inputSize, labels.size());
        this.minScore = minScore;
        this.nmsIou = nmsIou;
        this.planes = new PixelTensor(family.normalisation, InputLayout.NCHW);
        this.pictures = ImageDecoder.forNetwork(inputSize);
    }

    PreparedImage prepare(BufferedImage image) {
        Letterbox letterbox = Letterbox.fit(image.getWidth(), image.getHeight(), inputSize, family.centred);
        return new PreparedImage(letterbox.apply(image, family.padGrey), letterbox, image);
    }

    /** From encoded bytes: decoded (reduced to the input's size where a JPEG allows), then letterboxed. */
    Optional<PreparedImage> prepare(byte[] encoded) {
        return pictures.decode(encoded).map(this::prepare);
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Batch batch) {
        List<PreparedImage> images = batch.images();
        int perImage = 3 * inputSize * inputSize;
        if (batch.tensor().capacity() < images.size() * perImage) {
            throw new IllegalArgumentException("an input buffer of " + batch.tensor().capacity() + " floats cannot hold "
                    + images.size() + " images of " + perImage);
        }
        List<Letterbox> letterboxes = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            letterboxes.add(images.get(i).letterbox());
            planes.write(images.get(i).pixels(), batch.tensor(), i * perImage);
        }
        ctx.setAttachment(LETTERBOXES, letterboxes);
        FloatBuffer tensor = batch.tensor().duplicate().position(0).limit(images.size() * perImage);
        return new NDList(ctx.getNDManager().create(tensor, new Shape(images.size(), 3, inputSize, inputSize)));
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<List<Box>> processOutput(TranslatorContext ctx, NDList output) {
        List<Letterbox> letterboxes = (List<Letterbox>) ctx.getAttachment(LETTERBOXES);
        return split(values(output.get(0)), letterboxes);
    }

    /**
     * The output's values in one copy: ONNX Runtime's own float view of its tensor, where DJL's
     * {@code toFloatArray} copies twice (to a byte buffer, then to floats), several megabytes a frame.
     */
    private static float[] values(NDArray output) {
        if (output instanceof OrtNDArray ort) {
            FloatBuffer floats = ort.getTensor().getFloatBuffer();
            if (floats != null && floats.hasArray() && floats.arrayOffset() == 0 && floats.capacity() == floats.array().length) {
                return floats.array();
            }
        }
        return output.toFloatArray();
    }

    /** Each image's boxes from the output of a call on {@code letterboxes.size()} images. */
    List<List<Box>> split(float[] values, List<Letterbox> letterboxes) {
        if (values.length % letterboxes.size() != 0) {
            throw new IllegalArgumentException(values.length + " output values do not split into " + letterboxes.size() + " images");
        }
        int perImage = values.length / letterboxes.size();  // the images' outputs lie one after another
        List<List<Box>> results = new ArrayList<>(letterboxes.size());
        for (int i = 0; i < letterboxes.size(); i++) {
            Letterbox letterbox = letterboxes.get(i);
            List<Box> boxes = decoder.decode(values, i * perImage, perImage, minScore).stream()
                    .filter(c -> labels.category(c.classIndex()).isPresent())  // a chair is no detection
                    .map(letterbox::project).toList();
            // one animal seen as "dog" and as "bear" is one animal: suppress within a category, not a class
            results.add(Nms.apply(boxes, nmsIou, box -> labels.category(box.classIndex()).orElseThrow()));
        }
        return results;
    }
}
