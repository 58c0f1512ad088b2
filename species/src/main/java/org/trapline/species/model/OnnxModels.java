package org.trapline.species.model;

import java.nio.file.Path;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.onnxruntime.engine.OrtNDManager;
import ai.djl.onnxruntime.engine.OrtSymbolBlock;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * Opens an ONNX network from its local file for DJL's ONNX Runtime engine, with the thread settings
 * Trapline's networks share. The session is made here rather than by DJL's model loading, whose string
 * options cannot say "do not spin": ONNX Runtime's threads otherwise spin between inferences, taking a
 * whole core from everything else the process does (the detector's network, decoding, Kafka) for a few
 * microseconds saved on an idle machine.
 */
public final class OnnxModels {

    private static final String ENGINE = "OnnxRuntime";

    private OnnxModels() {
    }

    /**
     * A session on the network's file.
     *
     * @param intraOpThreads threads ONNX Runtime uses inside one inference
     * @param spinning       whether those threads spin while idle instead of sleeping
     */
    public static OrtSession session(Path file, int intraOpThreads, boolean spinning) throws OrtException {
        // DJL's engine first: it creates ONNX Runtime's one environment with options of its own, and refuses
        // to start once the environment exists
        Engine.getEngine(ENGINE);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {  // the session keeps a copy
            options.setIntraOpNumThreads(intraOpThreads);
            options.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
            options.addConfigEntry("session.inter_op.allow_spinning", spinning ? "1" : "0");
            return OrtEnvironment.getEnvironment().createSession(file.toString(), options);
        }
    }

    /** A DJL model that runs the session; closing the model closes the session. */
    public static Model model(String name, OrtSession session) {
        Model model = Model.newInstance(name, ENGINE);
        model.setBlock(new OrtSymbolBlock(session, (OrtNDManager) model.getNDManager()));
        return model;
    }
}
