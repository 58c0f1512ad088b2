package org.trapline.detector.model;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

/**
 * Images in, boxes out, for one detection network family. In: each image letterboxed by Java2D, its BGR
 * bytes turned into the RGB planes the network reads in one pass through a per-channel lookup table of
 * the 256 possible values (scale and normalisation precomputed), all images of the call stacked into one
 * {@code [N, 3, S, S]} tensor. Out: candidates decoded, those of classes in no category dropped, put back
 * onto their image, suppressed by NMS within each category.
 *
 * <p>The ONNX Runtime engine offers no NDArray arithmetic of its own, so the arithmetic is folded into
 * the table: there is no per-pixel arithmetic, object or colour lookup, only one array pass.
 */
final class DetectionTranslator implements NoBatchifyTranslator<List<BufferedImage>, List<List<Box>>> {

    private static final String LETTERBOXES = "letterboxes";

    private final ModelFamily family;
    private final LabelMap labels;
    private final int inputSize;
    private final ModelFamily.Decoder decoder;
    private final float minScore;
    private final float nmsIou;
    private final float[][] table = new float[3][256];

    DetectionTranslator(ModelFamily family, int inputSize, LabelMap labels, float minScore, float nmsIou) {
        this.family = family;
        this.labels = labels;
        this.inputSize = inputSize;
        this.decoder = family.decoder(inputSize, labels.size());
        this.minScore = minScore;
        this.nmsIou = nmsIou;
        for (int channel = 0; channel < 3; channel++) {
            for (int value = 0; value < 256; value++) {
                table[channel][value] = (value / 255f - family.mean[channel]) / family.std[channel];
            }
        }
    }

    @Override
    public NDList processInput(TranslatorContext ctx, List<BufferedImage> images) {
        int plane = inputSize * inputSize;
        float[] tensor = new float[images.size() * 3 * plane];
        List<Letterbox> letterboxes = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            BufferedImage image = images.get(i);
            Letterbox letterbox = Letterbox.fit(image.getWidth(), image.getHeight(), inputSize, family.centred);
            letterboxes.add(letterbox);
            byte[] bgr = ((DataBufferByte) letterbox.apply(image, family.padGrey).getRaster().getDataBuffer()).getData();
            toRgbPlanes(bgr, tensor, i * 3 * plane, plane);
        }
        ctx.setAttachment(LETTERBOXES, letterboxes);
        return new NDList(ctx.getNDManager().create(FloatBuffer.wrap(tensor), new Shape(images.size(), 3, inputSize, inputSize)));
    }

    /** BGR interleaved bytes to normalised R, G, B planes, through the lookup table. */
    private void toRgbPlanes(byte[] bgr, float[] tensor, int offset, int plane) {
        float[] red = table[0];
        float[] green = table[1];
        float[] blue = table[2];
        int r = offset;
        int g = offset + plane;
        int b = offset + 2 * plane;
        for (int p = 0, i = 0; p < plane; p++, i += 3) {
            tensor[b + p] = blue[bgr[i] & 0xff];
            tensor[g + p] = green[bgr[i + 1] & 0xff];
            tensor[r + p] = red[bgr[i + 2] & 0xff];
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<List<Box>> processOutput(TranslatorContext ctx, NDList output) {
        List<Letterbox> letterboxes = (List<Letterbox>) ctx.getAttachment(LETTERBOXES);
        float[] values = output.get(0).toFloatArray();
        int perImage = decoder.valuesPerImage(values.length, letterboxes.size());
        List<List<Box>> results = new ArrayList<>();
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
