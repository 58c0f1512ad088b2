package org.trapline.inference.onnx;

import org.trapline.config.TraplineConfig;

/**
 * How one network's inferences share the machine's cores: how many run at once, how many threads ONNX
 * Runtime gives each, and whether those threads spin while idle. What the values do to a session is
 * {@link OnnxSessions}' business; this record only holds them and reads them from the configuration.
 *
 * @param inferenceThreads predictors of the network: so many inferences may run at the same time
 * @param intraOpThreads   threads ONNX Runtime uses inside one inference
 * @param spinning         whether those threads spin while idle instead of sleeping
 */
public record OnnxThreading(int inferenceThreads, int intraOpThreads, boolean spinning) {

    /** Inferences at the same time unless configured: one, so that one frame's inference has every core. */
    public static final int DEFAULT_INFERENCE_THREADS = 1;
    /**
     * Spinning unless configured: off. Spinning saves microseconds between inferences on an idle machine but
     * keeps a core busy for nothing while the caller decodes, crops or talks to Kafka on it.
     */
    public static final boolean DEFAULT_SPINNING = false;

    public OnnxThreading {
        if (inferenceThreads < 1 || intraOpThreads < 1) {
            throw new IllegalArgumentException("thread counts must be positive, not " + inferenceThreads + " inference and "
                    + intraOpThreads + " intra-op threads");
        }
    }

    /**
     * The configuration keys one network's threading is read from, each named once by the settings of
     * the module that owns the network ({@code detector.inference.threads}, …) and written out in full
     * there, so that a search for a key finds where it is read.
     *
     * @param inferenceThreads default {@value #DEFAULT_INFERENCE_THREADS}: predictors, inferences at once
     * @param intraOpThreads   default: the cores shared out among the predictors (cores / inference threads,
     *                         at least one), so that the network's threads together fill the machine once
     * @param spinning         default {@value #DEFAULT_SPINNING}: ONNX Runtime's threads sleep when idle,
     *                         leaving the cores to everything else the process does
     */
    public record Keys(String inferenceThreads, String intraOpThreads, String spinning) {
    }

    /** The threading the keys set; the defaults where they are not set (the cores counted on this machine). */
    public static OnnxThreading fromConfig(TraplineConfig config, Keys keys) {
        int inference = config.getInt(keys.inferenceThreads(), DEFAULT_INFERENCE_THREADS);
        if (inference < 1) {
            throw new IllegalArgumentException(keys.inferenceThreads() + " must be at least 1, not " + inference);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        return new OnnxThreading(inference, config.getInt(keys.intraOpThreads(), Math.max(1, cores / inference)),
                config.getBoolean(keys.spinning(), DEFAULT_SPINNING));
    }
}
