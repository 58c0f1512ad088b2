package org.trapline.inference.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.trapline.config.TraplineConfig;

class OnnxThreadingTest {

    static final OnnxThreading.Keys KEYS = new OnnxThreading.Keys("net.inference.threads", "net.intra.op.threads",
            "net.intra.op.spinning");
    static final int CORES = Runtime.getRuntime().availableProcessors();

    @Test
    void byDefaultOnePredictorWithEveryCoreAndNoSpinning() {
        OnnxThreading threading = OnnxThreading.fromConfig(TraplineConfig.of(Map.of()), KEYS);
        assertEquals(new OnnxThreading(1, CORES, false), threading);
    }

    @Test
    void theCoresSharedOutAmongThePredictors() {
        OnnxThreading threading = OnnxThreading.fromConfig(TraplineConfig.of(Map.of("net.inference.threads", "2")), KEYS);
        assertEquals(2, threading.inferenceThreads());
        assertEquals(Math.max(1, CORES / 2), threading.intraOpThreads());
        OnnxThreading many = OnnxThreading.fromConfig(TraplineConfig.of(Map.of("net.inference.threads", String.valueOf(CORES + 1))), KEYS);
        assertEquals(1, many.intraOpThreads(), "at least one");
    }

    @Test
    void asConfigured() {
        OnnxThreading threading = OnnxThreading.fromConfig(TraplineConfig.of(Map.of("net.inference.threads", "3",
                "net.intra.op.threads", "5", "net.intra.op.spinning", "true")), KEYS);
        assertEquals(new OnnxThreading(3, 5, true), threading);
        assertTrue(threading.spinning());
        assertFalse(OnnxThreading.DEFAULT_SPINNING);
    }

    @Test
    void noThreadsIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> OnnxThreading.fromConfig(TraplineConfig.of(Map.of("net.inference.threads", "0")), KEYS));
        assertThrows(IllegalArgumentException.class,
                () -> OnnxThreading.fromConfig(TraplineConfig.of(Map.of("net.intra.op.threads", "0")), KEYS));
    }
}
