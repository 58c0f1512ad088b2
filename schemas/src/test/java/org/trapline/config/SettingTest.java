package org.trapline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class SettingTest {

    static final Setting<Integer> THREADS = Setting.integer("demo.threads", 2, "threads").requiring(v -> v >= 1, "1 or more");

    @Test
    void theDefaultUnlessConfiguredAndABadValueNamesItsKey() {
        assertEquals(2, THREADS.of(TraplineConfig.of(Map.of())));
        assertEquals(4, THREADS.of(TraplineConfig.of(Map.of("demo.threads", "4"))));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> THREADS.of(TraplineConfig.of(Map.of("demo.threads", "0"))));
        assertEquals("configuration 'demo.threads' must be 1 or more, not '0'", zero.getMessage());
        IllegalArgumentException word = assertThrows(IllegalArgumentException.class,
                () -> THREADS.of(TraplineConfig.of(Map.of("demo.threads", "many"))));
        assertTrue(word.getMessage().contains("'demo.threads'"), word.getMessage());
        assertEquals("`2`", THREADS.documentedDefault());
        assertEquals("the HTTP host", Setting.text("demo.host", null, "host").documentedDefault("the HTTP host").documentedDefault());
    }
}
