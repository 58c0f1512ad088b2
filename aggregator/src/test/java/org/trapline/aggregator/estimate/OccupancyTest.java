package org.trapline.aggregator.estimate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class OccupancyTest {

    /**
     * Blue Ridge two-lined salamanders (Eurycea wilderae), 39 sites × 5 occasions, MacKenzie et al. (2006),
     * "Occupancy Estimation and Modeling", p. 99, distributed with PRESENCE; read here from the matrix in the
     * R package wiqid (Meredith, data/salamanders.RData, rows in its order).
     */
    static final String[] SALAMANDERS = {
        "00011", "01000", "01000", "11110", "00100", "00100", "00100", "00100", "00100", "10000",
        "00111", "00111", "10011", "10110", "00000", "00000", "00000", "00000", "00000", "00000",
        "00000", "00000", "00000", "00000", "00000", "00000", "00000", "00000", "00000", "00000",
        "00000", "00000", "00000", "00000", "00000", "00010", "00010", "00001", "00001"};

    /**
     * The ψ(.)p(.) fit to the salamanders, as wiqid's test of {@code occSS0} (inst/tests/testthat/test-occSS0.R)
     * states PRESENCE's answer, to 4 decimals: ψ̂ 0.5946 (95% 0.3512–0.7990), p̂ 0.2587 (0.1622–0.3863),
     * AIC 165.7586.
     */
    @Test
    void salamandersAsPresenceFitsThem() {
        Occupancy fit = Occupancy.fit(histories(SALAMANDERS));
        assertEquals(Occupancy.Status.ESTIMATED, fit.status());
        assertNull(fit.note());
        assertEquals(39, fit.sites());
        assertEquals(18, fit.sitesDetected());
        assertEquals(18.0 / 39, fit.naiveOccupancy(), 1e-12);
        assertEquals(195, fit.surveys());
        assertEquals(30, fit.detections());
        check(fit.psi(), 0.5946, 0.3512, 0.7990);
        check(fit.p(), 0.2587, 0.1622, 0.3863);
        assertEquals(165.7586, fit.aic(), 5e-5);
        assertEquals(-(165.7586 - 4) / 2, fit.logLikelihood(), 5e-5);
    }

    /**
     * The same test's NA cases, PRESENCE's answers again: ten cells NA (ψ̂ 0.5861, 0.3238–0.8073; p̂ 0.2445,
     * 0.1422–0.3872; AIC 149.7430); then site 3 all NA, left out (ψ̂ 0.5558, 0.3095–0.7775; p̂ 0.2531,
     * 0.1475–0.3989; AIC 144.1232); then occasion 3 NA at every site (ψ̂ 0.3798, 0.1918–0.6124; p̂ 0.3160,
     * 0.1644–0.5204; AIC 101.1297).
     */
    @Test
    void missingSurveysAreSkippedAndEmptySitesLeftOut() {
        List<List<Integer>> brs = histories(SALAMANDERS);
        // R's BRS[c(6,167,130,123,89,154,32,120,127,147)] <- NA: column-major cells, 1-based
        for (int cell : new int[] {6, 167, 130, 123, 89, 154, 32, 120, 127, 147}) {
            brs.get((cell - 1) % 39).set((cell - 1) / 39, null);
        }
        Occupancy two = Occupancy.fit(brs);
        check(two.psi(), 0.5861, 0.3238, 0.8073);
        check(two.p(), 0.2445, 0.1422, 0.3872);
        assertEquals(149.7430, two.aic(), 5e-5);
        assertEquals(0, two.sitesLeftOut());

        for (int k = 0; k < 5; k++) {
            brs.get(2).set(k, null);
        }
        Occupancy three = Occupancy.fit(brs);
        assertEquals(38, three.sites());
        assertEquals(1, three.sitesLeftOut());
        check(three.psi(), 0.5558, 0.3095, 0.7775);
        check(three.p(), 0.2531, 0.1475, 0.3989);
        assertEquals(144.1232, three.aic(), 5e-5);

        for (List<Integer> site : brs) {
            site.set(2, null);
        }
        Occupancy four = Occupancy.fit(brs);
        check(four.psi(), 0.3798, 0.1918, 0.6124);
        check(four.p(), 0.3160, 0.1644, 0.5204);
        assertEquals(101.1297, four.aic(), 5e-5);
    }

    /**
     * An independent check of the maximum: the same likelihood written out here, maximised on a grid over
     * (ψ, p) and refined on finer grids, for random data sets with NA cells and ragged lengths.
     */
    @Test
    void maximumAgreesWithABruteForceGrid() {
        Random random = new Random(2002);
        for (int set = 0; set < 6; set++) {
            List<List<Integer>> data = new ArrayList<>();
            int sites = 15 + random.nextInt(30);
            double psi = 0.3 + 0.5 * random.nextDouble();
            double p = 0.2 + 0.4 * random.nextDouble();
            for (int i = 0; i < sites; i++) {
                boolean occupied = random.nextDouble() < psi;
                int k = 3 + random.nextInt(6);
                List<Integer> h = new ArrayList<>();
                for (int j = 0; j < k; j++) {
                    h.add(random.nextDouble() < 0.15 ? null : (occupied && random.nextDouble() < p ? 1 : 0));
                }
                data.add(h);
            }
            Occupancy fit = Occupancy.fit(data);
            if (fit.status() != Occupancy.Status.ESTIMATED) {
                continue;
            }
            double[] grid = gridMaximum(data);
            assertEquals(grid[0], fit.psi().estimate(), 1e-5, "ψ̂, set " + set);
            assertEquals(grid[1], fit.p().estimate(), 1e-5, "p̂, set " + set);
            assertEquals(grid[2], fit.logLikelihood(), 1e-8, "log-likelihood, set " + set);
        }
    }

    /** The analytic gradient and Hessian against central differences of the log-likelihood. */
    @Test
    void derivativesMatchFiniteDifferences() {
        OccupancyLikelihood l = OccupancyLikelihood.of(histories(SALAMANDERS));
        double h = 1e-4;
        for (double[] x : new double[][] {{0.4, -1.0}, {-1.3, 0.7}, {2.5, -2.2}}) {
            double a = x[0];
            double b = x[1];
            double[] g = l.gradient(a, b);
            assertEquals((l.value(a + h, b) - l.value(a - h, b)) / (2 * h), g[0], 1e-6);
            assertEquals((l.value(a, b + h) - l.value(a, b - h)) / (2 * h), g[1], 1e-6);
            double[][] hess = l.hessian(a, b);
            assertEquals((l.gradient(a + h, b)[0] - l.gradient(a - h, b)[0]) / (2 * h), hess[0][0], 1e-6);
            assertEquals((l.gradient(a, b + h)[1] - l.gradient(a, b - h)[1]) / (2 * h), hess[1][1], 1e-6);
            assertEquals((l.gradient(a, b + h)[0] - l.gradient(a, b - h)[0]) / (2 * h), hess[0][1], 1e-6);
            assertEquals(hess[0][1], hess[1][0], 0);
        }
    }

    /** wiqid's all-zeros case: the likelihood is flat along ψ(1−(1−p)^K) = 0, so no estimate at all. */
    @Test
    void neverDetectedIsNotEstimable() {
        Occupancy fit = Occupancy.fit(histories("00000", "000", "0000", "00"));
        assertEquals(Occupancy.Status.NOT_ESTIMABLE, fit.status());
        assertEquals("not estimable: the species was never detected", fit.note());
        assertEquals(0.0, fit.naiveOccupancy());
        assertEquals(4, fit.sites());
        assertNull(fit.psi());
        assertNull(fit.p());
        assertNull(fit.aic());
    }

    @Test
    void noSurveyedSiteIsNotEstimable() {
        List<Integer> allNa = Arrays.asList(null, null, null);
        Occupancy fit = Occupancy.fit(List.of(allNa, allNa));
        assertEquals(Occupancy.Status.NOT_ESTIMABLE, fit.status());
        assertEquals(2, fit.sitesLeftOut());
        assertEquals(0, fit.sites());
        assertNull(fit.naiveOccupancy());
        assertEquals(Occupancy.Status.NOT_ESTIMABLE, Occupancy.fit(List.of()).status());
    }

    /** wiqid's all-ones case: ψ̂ = p̂ = 1, no intervals; here the likelihood there is 1, so AIC 4. */
    @Test
    void detectedEverywhereEveryTimeIsTheBoundary() {
        List<List<Integer>> data = histories("111", "11", "1111");
        data.add(Arrays.asList(null, null));                 // left out
        data.add(Arrays.asList(1, null, 1));
        Occupancy fit = Occupancy.fit(data);
        assertEquals(Occupancy.Status.BOUNDARY, fit.status());
        assertEquals(4, fit.sites());
        assertEquals(1, fit.sitesLeftOut());
        assertEquals(1.0, fit.naiveOccupancy());
        assertEquals(1.0, fit.psi().estimate());
        assertEquals(1.0, fit.p().estimate());
        assertNull(fit.psi().lower95());
        assertNull(fit.p().upper95());
        assertEquals(0.0, fit.logLikelihood());
        assertEquals(4.0, fit.aic());
    }

    /**
     * Every site detected at least once, not every time: at ψ = 1 the model is binomial in p, p̂ = 9/20
     * detections per surveyed occasion; the score ∂ℓ/∂ψ at ψ = 1 is positive (no site lacks detections), so
     * the maximum is there. Wald on logit p̂: se = 1/√(20·0.45·0.55) = 0.449467, 95% expit(−0.200671 ± 0.880938)
     * = 0.253202–0.663798.
     */
    @Test
    void everySiteDetectedPutsPsiOnTheBoundary() {
        Occupancy fit = Occupancy.fit(histories("10100", "01010", "11100", "00011"));
        assertEquals(Occupancy.Status.BOUNDARY, fit.status());
        assertEquals(1.0, fit.psi().estimate());
        assertNull(fit.psi().lower95());
        assertEquals(0.45, fit.p().estimate(), 1e-12);
        assertEquals(0.253202, fit.p().lower95(), 1e-6);
        assertEquals(0.663798, fit.p().upper95(), 1e-6);
        assertEquals(9 * Math.log(0.45) + 11 * Math.log(0.55), fit.logLikelihood(), 1e-12);
        assertTrue(fit.note().contains("ψ̂ = 1"), fit.note());
        double[] grid = gridMaximum(histories("10100", "01010", "11100", "00011"));
        assertTrue(grid[2] <= fit.logLikelihood() + 1e-12);
    }

    /**
     * Each site with a detection detected on every occasion, others never: p̂ = 1 and ψ̂ the naive 3/5;
     * Wald on logit: se = 1/√(5·0.6·0.4) = 0.912871, 95% expit(0.405465 ± 1.789194) = 0.200411–0.899769.
     */
    @Test
    void alwaysDetectedWhereDetectedPutsPOnTheBoundary() {
        Occupancy fit = Occupancy.fit(histories("111", "111", "111", "000", "000"));
        assertEquals(Occupancy.Status.BOUNDARY, fit.status());
        assertEquals(1.0, fit.p().estimate());
        assertNull(fit.p().lower95());
        assertEquals(0.6, fit.psi().estimate(), 1e-12);
        assertEquals(0.6, fit.naiveOccupancy(), 1e-12);
        assertEquals(0.200411, fit.psi().lower95(), 1e-6);
        assertEquals(0.899769, fit.psi().upper95(), 1e-6);
        assertEquals(3 * Math.log(0.6) + 2 * Math.log(0.4), fit.logLikelihood(), 1e-12);
    }

    @Test
    void noEstimateIsEverNaN() {
        for (String[] data : new String[][] {{"1"}, {"0", "1"}, {"10", "00"}, {"1", "1", "0"}, {"01", "10", "00", "00"},
                {"1000000000", "0000000000"}, SALAMANDERS}) {
            Occupancy fit = Occupancy.fit(histories(data));
            if (fit.psi() != null) {
                assertFalse(Double.isNaN(fit.psi().estimate()), Arrays.toString(data));
                assertFalse(Double.isNaN(fit.p().estimate()), Arrays.toString(data));
                assertNotNull(fit.logLikelihood());
                assertFalse(Double.isNaN(fit.logLikelihood()), Arrays.toString(data));
                if (fit.psi().lower95() != null) {
                    assertFalse(Double.isNaN(fit.psi().lower95()), Arrays.toString(data));
                    assertFalse(Double.isNaN(fit.psi().upper95()), Arrays.toString(data));
                }
            }
        }
    }

    /** The record as the HTTP API would serve it. */
    @Test
    void jsonFields() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode fit = json.readTree(json.writeValueAsString(Occupancy.fit(histories(SALAMANDERS))));
        assertEquals("ESTIMATED", fit.get("status").asText());
        assertEquals(0.5946, fit.get("psi").get("estimate").asDouble(), 5e-5);
        assertEquals(List.of("estimate", "lower95", "upper95", "logit", "logitSe"), names(fit.get("psi")));
        assertEquals(List.of("status", "note", "sites", "sitesDetected", "sitesLeftOut", "surveys", "detections",
                "naiveOccupancy", "psi", "p", "logLikelihood", "aic"), names(fit));
        com.fasterxml.jackson.databind.JsonNode none = json.readTree(json.writeValueAsString(Occupancy.fit(histories("000"))));
        assertTrue(none.get("psi").isNull());
        assertEquals("not estimable: the species was never detected", none.get("note").asText());
    }

    private static List<String> names(com.fasterxml.jackson.databind.JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    // --- helpers

    static List<List<Integer>> histories(String... rows) {
        List<List<Integer>> histories = new ArrayList<>();
        for (String row : rows) {
            List<Integer> h = new ArrayList<>();
            for (char c : row.toCharArray()) {
                h.add(c == '.' ? null : c - '0');
            }
            histories.add(h);
        }
        return histories;
    }

    /** To PRESENCE's 4 decimals. */
    private static void check(Occupancy.Estimate e, double estimate, double lower, double upper) {
        assertEquals(estimate, e.estimate(), 5e-5);
        assertEquals(lower, e.lower95(), 5e-5);
        assertEquals(upper, e.upper95(), 5e-5);
    }

    /** The likelihood of ψ(.)p(.) written directly on (ψ, p), for the grid. */
    private static double logLikelihood(List<List<Integer>> data, double psi, double p) {
        double sum = 0;
        for (List<Integer> h : data) {
            int k = 0;
            int d = 0;
            for (Integer v : h) {
                if (v != null) {
                    k++;
                    d += v;
                }
            }
            if (k == 0) {
                continue;
            }
            double site = d > 0 ? psi * Math.pow(p, d) * Math.pow(1 - p, k - d) : psi * Math.pow(1 - p, k) + 1 - psi;
            sum += Math.log(site);
        }
        return sum;
    }

    /** {ψ, p, ℓ} at the grid's maximum: a 200×200 grid on (0, 1)², then four finer grids around the best cell. */
    private static double[] gridMaximum(List<List<Integer>> data) {
        double bestPsi = 0.5;
        double bestP = 0.5;
        double best = Double.NEGATIVE_INFINITY;
        double lowPsi = 0;
        double lowP = 0;
        double width = 1;
        for (int round = 0; round < 5; round++) {
            double step = width / 200;
            for (int i = 0; i <= 200; i++) {
                for (int j = 0; j <= 200; j++) {
                    double psi = Math.min(1, Math.max(1e-12, lowPsi + i * step));
                    double p = Math.min(1 - 1e-12, Math.max(1e-12, lowP + j * step));
                    double value = logLikelihood(data, psi, p);
                    if (value > best) {
                        best = value;
                        bestPsi = psi;
                        bestP = p;
                    }
                }
            }
            width = 4 * step;
            lowPsi = Math.max(0, bestPsi - 2 * step);
            lowP = Math.max(0, bestP - 2 * step);
        }
        return new double[] {bestPsi, bestP, best};
    }
}
