package org.trapline.detector.model;

import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

/**
 * Images in, boxes out, for one detection network family. In: each image letterboxed by Java2D and
 * turned into the RGB planes the network reads ({@link RgbPlanes}), all images of the call stacked into one
 * {@code [N, 3, S, S]} tensor. Out: candidates decoded, those of classes in no category dropped, put back
 * onto their image, suppressed by NMS within each category.
 */
final class DetectionTranslator implements NoBatchifyTranslator<List<BufferedImage>, List<List<Box>>> {

    private static final String LETTERBOXES = "letterboxes";

    private final ModelFamily family;
    private final LabelMap labels;
    private final int inputSize;
    private final ModelFamily.Decoder decoder;
    private final float minScore;
    private final float nmsIou;
    private final RgbPlanes planes;

    DetectionTranslator(ModelFamily family, int inputSize, LabelMap labels, float minScore, float nmsIou) {
        this.family = family;
        this.labels = labels;
        this.inputSize = inputSize;
        this.decoder = family.decoder(inputSize, labels.size());
        this.minScore = minScore;
        this.nmsIou = nmsIou;
        this.planes = new RgbPlanes(family.mean, family.std);
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
            planes.write(letterbox.apply(image, family.padGrey), tensor, i * 3 * plane);
        }
        ctx.setAttachment(LETTERBOXES, letterboxes);
        return new NDList(ctx.getNDManager().create(FloatBuffer.wrap(tensor), new Shape(images.size(), 3, inputSize, inputSize)));
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<List<Box>> processOutput(TranslatorContext ctx, NDList output) {
        List<Letterbox> letterboxes = (List<Letterbox>) ctx.getAttachment(LETTERBOXES);
        float[] values = output.get(0).toFloatArray();
        int perImage = values.length / letterboxes.size();  // the images' outputs lie one after another
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
