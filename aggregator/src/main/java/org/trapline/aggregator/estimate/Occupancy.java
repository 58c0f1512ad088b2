package org.trapline.aggregator.estimate;

import java.util.List;

import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleValueChecker;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * The single-season occupancy model with constant occupancy and detection, ψ(.)p(.) (MacKenzie et al. 2002,
 * "Estimating site occupancy rates when detection probabilities are less than one", Ecology 83: 2248–2255),
 * fitted by maximum likelihood to detection histories (see {@link DetectionHistory}).
 *
 * <p>Each site is occupied with probability ψ; at an occupied site the species is detected on each
 * surveyed occasion with probability p. A site with {@code d ≥ 1} detections in {@code K} surveyed
 * occasions has likelihood {@code ψ·p^d·(1−p)^(K−d)}; one with none {@code ψ·(1−p)^K + (1−ψ)}. NA occasions
 * are left out of {@code K} (MacKenzie et al. 2002 treat missing surveys so), and a site with no surveyed
 * occasion is left out ({@link #sitesLeftOut()}).
 *
 * <p>Assumptions (the model's, not this code's): the occupancy state of each site is closed within the
 * season (no site is colonised or abandoned between occasions); there are no false positives (a
 * detection is always the species); detections are independent between sites and between occasions;
 * ψ is the same at every site and p the same at every site and occasion (no covariates, no
 * heterogeneity: unmodelled heterogeneity in p biases ψ̂ low).
 *
 * <p>The fit: the log-likelihood is maximised on the logit scale ({@code a = logit ψ}, {@code b = logit p})
 * with Apache Commons Math's Nelder–Mead simplex, then polished with Newton steps on the analytic gradient
 * and Hessian. The 95% intervals are Wald intervals on the logit scale from the observed information
 * (the inverse of the negative Hessian at the maximum), back-transformed: {@code expit(â ± 1.96·se(â))},
 * which stay within 0 and 1, as {@code unmarked}'s {@code confint(backTransform(...))} and PRESENCE give them.
 *
 * <p>Edge cases, answered without NaN:
 * <ul>
 * <li>No site surveyed, or the species never detected: {@link Status#NOT_ESTIMABLE}, no ψ̂ or p̂ (the
 *     likelihood is maximal along ψ·(1−(1−p)^K) = 0), the naive occupancy 0 when sites were surveyed.</li>
 * <li>The maximum on the boundary of the parameter space — ψ̂ = 1 (e.g. every surveyed site had a
 *     detection), p̂ = 1 (every site with a detection was detected on every occasion), or both (detected
 *     everywhere, every time): {@link Status#BOUNDARY}, the boundary value without an interval (a Wald
 *     interval does not exist there), the other parameter with its Wald interval given the boundary
 *     (then a binomial proportion: p̂ = detections/occasions at ψ = 1; ψ̂ = naive at p = 1).</li>
 * </ul>
 *
 * @param status         whether ψ and p were estimated
 * @param note           what an edge case means, in words; null when {@link Status#ESTIMATED}
 * @param sites          sites with at least one surveyed occasion (the sites in the likelihood)
 * @param sitesDetected  of them, those with at least one detection
 * @param sitesLeftOut   sites given whose every occasion was NA
 * @param surveys        surveyed occasions, summed over sites
 * @param detections     occasions with a detection, summed over sites
 * @param naiveOccupancy sitesDetected/sites, the occupancy ignoring imperfect detection; null with no site
 * @param psi            occupancy probability; null when not estimable
 * @param p              detection probability per occasion; null when not estimable
 * @param logLikelihood  at the maximum; null when not estimable
 * @param aic            −2·logLikelihood + 2·2 (two parameters); null when not estimable
 */
public record Occupancy(Status status, String note, int sites, int sitesDetected, int sitesLeftOut, long surveys,
                        long detections, Double naiveOccupancy, Estimate psi, Estimate p, Double logLikelihood,
                        Double aic) {

    /** Whether the model could be fitted. */
    public enum Status {
        /** ψ̂ and p̂ inside (0, 1), with Wald intervals. */
        ESTIMATED,
        /** The maximum lies on the boundary (ψ̂ = 1 and/or p̂ = 1); see {@link Occupancy#note()}. */
        BOUNDARY,
        /** No ψ̂, p̂: no site surveyed, or the species never detected. */
        NOT_ESTIMABLE
    }

    /**
     * A probability with its 95% interval.
     *
     * @param estimate  the maximum-likelihood estimate
     * @param lower95   the Wald interval's lower end, back-transformed; null on the boundary
     * @param upper95   its upper end; null on the boundary
     * @param logit     the estimate on the logit scale; null on the boundary (infinite)
     * @param logitSe   its standard error on the logit scale; null on the boundary
     */
    public record Estimate(double estimate, Double lower95, Double upper95, Double logit, Double logitSe) {

        static Estimate wald(double logit, double se) {
            return new Estimate(OccupancyLikelihood.expit(logit), OccupancyLikelihood.expit(logit - Z95 * se),
                    OccupancyLikelihood.expit(logit + Z95 * se), logit, se);
        }

        static Estimate point(double value) {
            return new Estimate(value, null, null, null, null);
        }
    }

    static final double Z95 = 1.959963984540054;

    /** A logit beyond this (ψ or p within 6e-6 of 0 or 1) is taken for the boundary. */
    private static final double EDGE = 12;

    /** Fits ψ(.)p(.) to a detection history's rows. */
    public static Occupancy fit(DetectionHistory history) {
        return fit(history.histories());
    }

    /**
     * Fits ψ(.)p(.) to detection histories, a list per site of 1 (detected), 0 (not detected) or null (NA,
     * not surveyed); the lists may differ in length.
     */
    public static Occupancy fit(List<? extends List<Integer>> histories) {
        OccupancyLikelihood likelihood = OccupancyLikelihood.of(histories);
        int sites = 0;
        int detected = 0;
        long surveys = 0;
        long detections = 0;
        boolean everyDetectedSiteEveryTime = true;
        for (long[] g : likelihood.groups()) {
            long k = g[0];
            long d = g[1];
            int m = (int) g[2];
            sites += m;
            surveys += k * m;
            detections += d * m;
            if (d > 0) {
                detected += m;
                everyDetectedSiteEveryTime &= d == k;
            }
        }
        int leftOut = histories.size() - sites;
        if (sites == 0) {
            return new Occupancy(Status.NOT_ESTIMABLE, "not estimable: no site was surveyed (every occasion NA)",
                    0, 0, leftOut, 0, 0, null, null, null, null, null);
        }
        double naive = (double) detected / sites;
        if (detected == 0) {
            return new Occupancy(Status.NOT_ESTIMABLE, "not estimable: the species was never detected", sites, 0,
                    leftOut, surveys, 0, 0.0, null, null, null, null);
        }
        if (detections == surveys) {
            return new Occupancy(Status.BOUNDARY, "boundary: the species was detected at every surveyed site on "
                    + "every surveyed occasion, so ψ̂ = 1 and p̂ = 1, without intervals", sites, detected, leftOut,
                    surveys, detections, naive, Estimate.point(1), Estimate.point(1), 0.0, aic(0));
        }

        // the two boundary solutions, in closed form
        double pAtPsi1 = (double) detections / surveys;
        double llPsi1 = detections * Math.log(pAtPsi1) + (surveys - detections) * Math.log1p(-pAtPsi1);
        double llP1 = everyDetectedSiteEveryTime
                ? detected * Math.log(naive) + (sites - detected) * Math.log1p(-naive) : Double.NEGATIVE_INFINITY;

        double[] interior = maximise(likelihood, naive, detections, surveys);
        double llInterior = interior == null ? Double.NEGATIVE_INFINITY : likelihood.value(interior[0], interior[1]);
        boolean inside = interior != null && Math.abs(interior[0]) < EDGE && Math.abs(interior[1]) < EDGE;
        if (inside && llInterior > Math.max(llPsi1, llP1) + 1e-9) {
            double[][] h = likelihood.hessian(interior[0], interior[1]);
            // covariance = inverse of the observed information −H
            double det = h[0][0] * h[1][1] - h[0][1] * h[1][0];
            if (h[0][0] < 0 && det > 0) {
                double varA = -h[1][1] / det;
                double varB = -h[0][0] / det;
                return new Occupancy(Status.ESTIMATED, null, sites, detected, leftOut, surveys, detections, naive,
                        Estimate.wald(interior[0], Math.sqrt(varA)), Estimate.wald(interior[1], Math.sqrt(varB)),
                        llInterior, aic(llInterior));
            }
            double psi = OccupancyLikelihood.expit(interior[0]);
            double p = OccupancyLikelihood.expit(interior[1]);
            return new Occupancy(Status.ESTIMATED, "the observed information is singular at the maximum: no intervals",
                    sites, detected, leftOut, surveys, detections, naive, Estimate.point(psi), Estimate.point(p),
                    llInterior, aic(llInterior));
        }
        if (llP1 > llPsi1) {
            // p̂ = 1: every non-detection is an unoccupied site; ψ̂ is the naive proportion, binomial on sites
            double a = OccupancyLikelihood.logit(naive);
            return new Occupancy(Status.BOUNDARY, "boundary: every site with a detection had one on every surveyed "
                    + "occasion, so p̂ = 1 (no interval) and ψ̂ is the naive occupancy", sites, detected, leftOut,
                    surveys, detections, naive, Estimate.wald(a, Math.sqrt(1 / (sites * naive * (1 - naive)))),
                    Estimate.point(1), llP1, aic(llP1));
        }
        // ψ̂ = 1: every site occupied; p̂ is detections/occasions, binomial on occasions
        double b = OccupancyLikelihood.logit(pAtPsi1);
        return new Occupancy(Status.BOUNDARY, "boundary: the likelihood is largest at ψ̂ = 1 (every site occupied; "
                + "no interval), p̂ = detections/surveyed occasions", sites, detected, leftOut, surveys, detections,
                naive, Estimate.point(1), Estimate.wald(b, Math.sqrt(1 / (surveys * pAtPsi1 * (1 - pAtPsi1)))),
                llPsi1, aic(llPsi1));
    }

    private static double aic(double logLikelihood) {
        return -2 * logLikelihood + 2 * 2;
    }

    /**
     * The maximum on the logit scale: Nelder–Mead from the naive values, then Newton steps (kept only where
     * they raise the likelihood); null if the simplex does not converge.
     */
    private static double[] maximise(OccupancyLikelihood likelihood, double naive, long detections, long surveys) {
        double p0 = Math.min(0.95, Math.max(0.05, (double) detections / surveys / Math.max(naive, 1e-3)));
        double psi0 = Math.min(0.95, Math.max(0.05, naive));
        double[] x;
        try {
            PointValuePair best = new SimplexOptimizer(new SimpleValueChecker(1e-12, 1e-12)).optimize(
                    new MaxEval(20_000),
                    new ObjectiveFunction(v -> {
                        double value = likelihood.value(v[0], v[1]);
                        return Double.isNaN(value) ? Double.NEGATIVE_INFINITY : value;
                    }),
                    GoalType.MAXIMIZE,
                    new InitialGuess(new double[] {OccupancyLikelihood.logit(psi0), OccupancyLikelihood.logit(p0)}),
                    new NelderMeadSimplex(new double[] {0.5, 0.5}));
            x = best.getPoint();
        } catch (TooManyEvaluationsException e) {
            return null;
        }
        double value = likelihood.value(x[0], x[1]);
        for (int i = 0; i < 20 && Math.abs(x[0]) < EDGE && Math.abs(x[1]) < EDGE; i++) {
            double[] g = likelihood.gradient(x[0], x[1]);
            double[][] h = likelihood.hessian(x[0], x[1]);
            double det = h[0][0] * h[1][1] - h[0][1] * h[1][0];
            if (!(h[0][0] < 0 && det > 0)) {
                break; // not concave here: keep the simplex's point
            }
            // Newton step −H⁻¹g
            double da = -(h[1][1] * g[0] - h[0][1] * g[1]) / det;
            double db = -(-h[1][0] * g[0] + h[0][0] * g[1]) / det;
            double[] next = {x[0] + da, x[1] + db};
            double nextValue = likelihood.value(next[0], next[1]);
            if (!(nextValue >= value)) {
                break;
            }
            boolean done = Math.abs(da) < 1e-12 && Math.abs(db) < 1e-12;
            x = next;
            value = nextValue;
            if (done) {
                break;
            }
        }
        return x;
    }
}
