package org.trapline.aggregator.estimate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * ψ(.)p(.) on data simulated from the model with known ψ and p: the estimator is nearly unbiased and its
 * 95% Wald intervals cover the truth about 95% of the time at a camera-trap survey's size.
 */
class OccupancySimulationTest {

    static final int SITES = 60;
    static final int OCCASIONS = 8;
    static final double PSI = 0.6;
    static final double P = 0.3;
    static final int SEEDS = 100;

    @Test
    void intervalsCoverTheTruthAndEstimatesCentreOnIt() {
        int psiCovered = 0;
        int pCovered = 0;
        int estimated = 0;
        double psiSum = 0;
        double pSum = 0;
        for (int seed = 1; seed <= SEEDS; seed++) {
            Occupancy fit = Occupancy.fit(simulate(new SplittableRandom(seed), SITES, OCCASIONS, PSI, P, 0));
            psiSum += fit.psi().estimate();
            pSum += fit.p().estimate();
            if (fit.status() != Occupancy.Status.ESTIMATED) {
                continue; // no interval: counts as not covering
            }
            estimated++;
            if (fit.psi().lower95() <= PSI && PSI <= fit.psi().upper95()) {
                psiCovered++;
            }
            if (fit.p().lower95() <= P && P <= fit.p().upper95()) {
                pCovered++;
            }
        }
        double psiMean = psiSum / SEEDS;
        double pMean = pSum / SEEDS;
        System.out.printf("ψ(.)p(.) simulation, %d sites × %d occasions, ψ = %.2f, p = %.2f, %d seeds: "
                        + "%d estimated; 95%% interval covers ψ in %d, p in %d; mean ψ̂ %.4f, mean p̂ %.4f%n",
                SITES, OCCASIONS, PSI, P, SEEDS, estimated, psiCovered, pCovered, psiMean, pMean);
        assertTrue(psiCovered >= 85, "ψ covered in " + psiCovered + " of " + SEEDS);
        assertTrue(pCovered >= 85, "p covered in " + pCovered + " of " + SEEDS);
        assertEquals(PSI, psiMean, 0.03);
        assertEquals(P, pMean, 0.015);
    }

    /** The same with a fifth of the cells NA (cameras down): NA occasions are skipped, not read as 0. */
    @Test
    void missingOccasionsDoNotBiasTheEstimates() {
        int psiCovered = 0;
        double psiSum = 0;
        double pSum = 0;
        for (int seed = 1; seed <= SEEDS; seed++) {
            Occupancy fit = Occupancy.fit(simulate(new SplittableRandom(1000 + seed), SITES, OCCASIONS, PSI, P, 0.2));
            psiSum += fit.psi().estimate();
            pSum += fit.p().estimate();
            if (fit.status() == Occupancy.Status.ESTIMATED && fit.psi().lower95() <= PSI && PSI <= fit.psi().upper95()) {
                psiCovered++;
            }
        }
        System.out.printf("ψ(.)p(.) simulation with 20%% NA: ψ covered in %d of %d; mean ψ̂ %.4f, mean p̂ %.4f%n",
                psiCovered, SEEDS, psiSum / SEEDS, pSum / SEEDS);
        assertTrue(psiCovered >= 85, "ψ covered in " + psiCovered + " of " + SEEDS);
        assertEquals(PSI, psiSum / SEEDS, 0.03);
        assertEquals(P, pSum / SEEDS, 0.015);
    }

    /** Sites occupied with probability ψ, each occasion detected with probability p if occupied, NA with probability na. */
    static List<List<Integer>> simulate(SplittableRandom random, int sites, int occasions, double psi, double p, double na) {
        List<List<Integer>> histories = new ArrayList<>();
        for (int i = 0; i < sites; i++) {
            boolean occupied = random.nextDouble() < psi;
            List<Integer> h = new ArrayList<>();
            for (int j = 0; j < occasions; j++) {
                boolean detected = occupied && random.nextDouble() < p;
                h.add(random.nextDouble() < na ? null : (detected ? 1 : 0));
            }
            histories.add(h);
        }
        return histories;
    }
}
