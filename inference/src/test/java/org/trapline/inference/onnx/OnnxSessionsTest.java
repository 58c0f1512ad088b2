package org.trapline.inference.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;
import org.trapline.inference.pixels.InputLayout;
import org.trapline.inference.pixels.Normalisation;
import org.trapline.inference.pixels.PixelTensor;
import org.trapline.localstack.samples.SharedData;

/** The one loader: the options it passes to ONNX Runtime, and a real network opened and run through it. */
class OnnxSessionsTest {

    @Test
    void noSpinningUnlessAskedInBothThreadPools() throws Exception {
        try (OrtSession.SessionOptions options = OnnxSessions.options(new OnnxThreading(1, 2, false))) {
            assertEquals(Map.of("session.intra_op.allow_spinning", "0", "session.inter_op.allow_spinning", "0"),
                    options.getConfigEntries());
        }
        try (OrtSession.SessionOptions options = OnnxSessions.options(new OnnxThreading(1, 2, true))) {
            assertEquals(Map.of("session.intra_op.allow_spinning", "1", "session.inter_op.allow_spinning", "1"),
                    options.getConfigEntries());
        }
    }

    /** The stand-in's 1000 ImageNet scores for one grey picture: enough to see the model run. */
    static final class Scores implements NoBatchifyTranslator<BufferedImage, float[]> {
        private final PixelTensor pixels = new PixelTensor(Normalisation.IMAGENET, InputLayout.NCHW);

        @Override
        public NDList processInput(TranslatorContext ctx, BufferedImage picture) {
            float[] tensor = new float[3 * 224 * 224];
            pixels.write(picture, tensor, 0);
            return new NDList(ctx.getNDManager().create(FloatBuffer.wrap(tensor), new Shape(1, 3, 224, 224)));
        }

        @Override
        public float[] processOutput(TranslatorContext ctx, NDList outputs) {
            return outputs.get("output").toFloatArray();
        }
    }

    @Test
    void aNetworkOpenedRunsOnEveryPredictorOfItsPool() throws Exception {
        Path file = SharedData.locate().models().resolve("mobilenetv2-12-int8-features.onnx");
        OnnxSessions.Network network = OnnxSessions.open(file, "stand-in", new OnnxThreading(2, 1, false));
        try (var model = network.model(); PredictorPool<BufferedImage, float[]> pool = new PredictorPool<>(model, new Scores(), 2)) {
            assertEquals(List.of("input"), List.copyOf(network.session().getInputNames()));
            BufferedImage grey = new BufferedImage(224, 224, BufferedImage.TYPE_3BYTE_BGR);
            float[] first = pool.predict(grey);
            float[] again = pool.run(predictor -> predictor.predict(grey));
            assertEquals(1000, first.length);
            for (int i = 0; i < first.length; i++) {
                assertEquals(first[i], again[i], 1e-5, "class " + i);
            }
        }
    }

    @Test
    void aFileThatIsMissingFailsInOnnxRuntime() {
        assertThrows(OrtException.class, () -> OnnxSessions.open(Path.of("no-such-model.onnx"), "missing", new OnnxThreading(1, 1, false)));
    }
}
