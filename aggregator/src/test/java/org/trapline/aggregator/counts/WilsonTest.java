package org.trapline.aggregator.counts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WilsonTest {

    /**
     * Newcombe (1998), "Two-sided confidence intervals for the single proportion", Statistics in Medicine
     * 17: 857–872, Table II, method 3 (Wilson's score interval without continuity correction):
     * 81/263 → 0.2553–0.3662, 15/148 → 0.0624–0.1605, 0/20 → 0–0.1611, 1/29 → 0.0061–0.1718.
     */
    @Test
    void newcombesExamples() {
        check(81, 263, 0.2553, 0.3662);
        check(15, 148, 0.0624, 0.1605);
        check(0, 20, 0, 0.1611);
        check(1, 29, 0.0061, 0.1718);
        assertEquals(81.0 / 263, Wilson.of(81, 263).estimate(), 1e-12);
    }

    /** n n of n: p̂ = 1, z² = 3.841459, 1 + z²/1 = 4.841459; the interval reaches 1 and not beyond. */
    @Test
    void allOrNothingStaysWithinZeroAndOne() {
        Wilson all = Wilson.of(1, 1);
        // centre (1 + 1.920730)/4.841459 = 0.603275, half 1.959964·√(0 + 0.960365)/4.841459 = 0.396725
        assertEquals(0.206549, all.lower95(), 1e-6);
        assertEquals(1.0, all.upper95(), 1e-12);
        assertEquals(0.0, Wilson.of(0, 3).lower95(), 1e-12);
    }

    @Test
    void noTrialsNoProportion() {
        Wilson none = Wilson.of(0, 0);
        assertNull(none.estimate());
        assertNull(none.lower95());
        assertNull(none.upper95());
        assertThrows(IllegalArgumentException.class, () -> Wilson.of(3, 2));
    }

    private static void check(long k, long n, double lower, double upper) {
        Wilson w = Wilson.of(k, n);
        assertEquals(lower, w.lower95(), 5e-5, k + "/" + n);
        assertEquals(upper, w.upper95(), 5e-5, k + "/" + n);
    }
}
