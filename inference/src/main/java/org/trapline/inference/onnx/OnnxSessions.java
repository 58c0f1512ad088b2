package org.trapline.inference.onnx;

import java.nio.file.Path;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.onnxruntime.engine.OrtNDManager;
import ai.djl.onnxruntime.engine.OrtSymbolBlock;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * The one way Trapline opens an ONNX network: from its local file (nothing is downloaded: run with
 * {@code -Dai.djl.offline=true}), for DJL's ONNX Runtime engine, with the threading of an
 * {@link OnnxThreading}. The detector's network, the species classifier and the identifier's embedding
 * network all open here, so that they share the cores by one policy:
 *
 * <ul>
 * <li>Intra-op threads, those that work inside one inference: as many as configured, by default the cores
 *     shared out among the network's predictors.</li>
 * <li>Inter-op threads: left at ONNX Runtime's default. A session runs its graph's nodes one after another
 *     (the sequential execution mode, the default), so that pool has no work; its spinning is turned off
 *     all the same, in case a model's session ever runs in parallel.</li>
 * <li>Spinning: off unless configured. ONNX Runtime's threads otherwise spin between inferences, taking a
 *     whole core from everything else the process does (another network, JPEG decoding, cropping, Kafka)
 *     for a few microseconds saved on an idle machine; with several sessions in one process, each spins.</li>
 * </ul>
 *
 * <p>The session is opened here rather than by DJL's {@code Criteria}, as DJL's examples load models,
 * because the options a {@code Criteria} passes to ONNX Runtime are strings DJL maps onto a few session
 * settings, and none of them says "do not spin": the session's configuration entries are not among them.
 * The session is then handed to DJL as the model's block, and everything after is plain DJL: predictors
 * with a {@code Translator} each ({@link PredictorPool}).
 */
public final class OnnxSessions {

    /** DJL's name of its ONNX Runtime engine. */
    public static final String ENGINE = "OnnxRuntime";
    /** ONNX Runtime's configuration entries for spinning ("1": spin while idle, "0": sleep). */
    static final String INTRA_OP_SPINNING = "session.intra_op.allow_spinning";
    static final String INTER_OP_SPINNING = "session.inter_op.allow_spinning";

    private OnnxSessions() {
    }

    /**
     * A network opened: the DJL model that predictors are made from, and the session beneath it, for a
     * caller that reads its inputs' shapes (the detector reads the batch dimension). Closing the model closes
     * the session.
     */
    public record Network(Model model, OrtSession session) {
    }

    /** Opens the network's file with the threading's session options; {@code name} names the DJL model. */
    public static Network open(Path file, String name, OnnxThreading threading) throws OrtException {
        OrtSession session;
        try (OrtSession.SessionOptions options = options(threading)) {  // the session keeps a copy
            session = OrtEnvironment.getEnvironment().createSession(file.toString(), options);
        }
        try {
            Model model = Model.newInstance(name, ENGINE);
            model.setBlock(new OrtSymbolBlock(session, (OrtNDManager) model.getNDManager()));
            return new Network(model, session);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** The session options of a threading: what {@link #open} passes to ONNX Runtime. The caller closes them. */
    public static OrtSession.SessionOptions options(OnnxThreading threading) throws OrtException {
        // DJL's engine first: it creates ONNX Runtime's one environment with options of its own, and refuses
        // to start once the environment exists
        Engine.getEngine(ENGINE);
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setIntraOpNumThreads(threading.intraOpThreads());
            String spinning = threading.spinning() ? "1" : "0";
            options.addConfigEntry(INTRA_OP_SPINNING, spinning);
            options.addConfigEntry(INTER_OP_SPINNING, spinning);
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }
}
