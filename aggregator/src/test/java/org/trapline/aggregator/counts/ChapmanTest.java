package org.trapline.aggregator.counts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ChapmanTest {

    /**
     * The example of R's recapr package ({@code NChapman(n1=100, n2=100, m2=20)}):
     * <pre>
     * N̂   = 101·101/21 − 1 = 10201/21 − 1 = 484.76190
     * var = 101·101·80·80/(21²·22) = 65286400/9702 = 6729.16924
     * M = 180, f0 = 304.76190, C = exp(1.96·√ln(1 + 6729.16924/304.76190²)) = exp(1.96·√ln 1.07245) = 1.67927
     * 95% = [180 + 304.76190/1.67927, 180 + 304.76190·1.67927] = [361.48502, 691.77679]
     * </pre>
     */
    @Test
    void textbookExample() {
        Chapman c = Chapman.of(100, 100, 20);
        assertEquals(484.76190, c.estimate(), 1e-5);
        assertEquals(6729.16924, c.variance(), 1e-5);
        assertEquals(180, c.seen());
        assertEquals(361.48502, c.lower95(), 1e-5);
        assertEquals(691.77679, c.upper95(), 1e-5);
    }

    /**
     * n1 = 7, n2 = 9, m2 = 3: N̂ = 8·10/4 − 1 = 19, var = 8·10·4·6/(16·5) = 24. The symmetric interval
     * 19 ± 1.96·√24 = [9.40, 28.60] would reach below the 13 animals seen; the log-normal one does not:
     * f0 = 6, C = exp(1.96·√ln(1 + 24/36)) = 4.05855, [13 + 6/4.05855, 13 + 6·4.05855] = [14.47836, 37.35132].
     */
    @Test
    void theIntervalNeverReachesBelowTheAnimalsSeen() {
        Chapman c = Chapman.of(7, 9, 3);
        assertEquals(19.0, c.estimate(), 1e-12);
        assertEquals(24.0, c.variance(), 1e-12);
        assertEquals(14.47836, c.lower95(), 1e-5);
        assertEquals(37.35132, c.upper95(), 1e-5);
    }

    @Test
    void everyAnimalSeenTwiceLeavesNoDoubt() {
        // n1 = n2 = m2 = 5: N̂ = 36/6 − 1 = 5, var = 0
        Chapman c = Chapman.of(5, 5, 5);
        assertEquals(5.0, c.estimate(), 1e-12);
        assertEquals(0.0, c.variance(), 1e-12);
        assertEquals(5.0, c.lower95(), 1e-12);
        assertEquals(5.0, c.upper95(), 1e-12);
    }

    @Test
    void moreRecapturesThanCapturesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Chapman.of(3, 4, 5));
    }
}
