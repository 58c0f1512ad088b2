package org.trapline.aggregator.estimate;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The log-likelihood of the single-season occupancy model ψ(.)p(.) (MacKenzie et al. 2002), its gradient
 * and Hessian, on the logit scale: {@code a = logit ψ}, {@code b = logit p}. A site surveyed on
 * {@code K} occasions (NA ones skipped) with {@code d} detections contributes
 *
 * <pre>
 * d ≥ 1:  log ψ + d·log p + (K−d)·log(1−p)
 * d = 0:  log(ψ·(1−p)^K + 1 − ψ)
 * </pre>
 *
 * (the binomial coefficients, constant in ψ and p, are left out, as PRESENCE and {@code unmarked} leave
 * them out, so that log-likelihoods and AIC compare). Sites are grouped by (K, d): the likelihood depends
 * on nothing else.
 */
final class OccupancyLikelihood {

    /** Sites grouped by {K, d}, with their number. */
    private final long[][] groups;

    /** From each site's history of 1, 0 and null (NA); sites with no surveyed occasion are left out. */
    static OccupancyLikelihood of(List<? extends List<Integer>> histories) {
        Map<Long, Long> counts = new TreeMap<>();
        for (List<Integer> history : histories) {
            int k = 0;
            int d = 0;
            for (Integer value : history) {
                if (value == null) {
                    continue;
                }
                if (value != 0 && value != 1) {
                    throw new IllegalArgumentException("a detection history holds 1, 0 or NA, not " + value);
                }
                k++;
                d += value;
            }
            if (k > 0) {
                counts.merge(((long) k << 32) | d, 1L, Long::sum);
            }
        }
        long[][] groups = new long[counts.size()][];
        int i = 0;
        for (Map.Entry<Long, Long> e : counts.entrySet()) {
            groups[i++] = new long[] {e.getKey() >>> 32, e.getKey() & 0xffffffffL, e.getValue()};
        }
        return new OccupancyLikelihood(groups);
    }

    private OccupancyLikelihood(long[][] groups) {
        this.groups = groups;
    }

    /** {K, d, sites} per group. */
    long[][] groups() {
        return groups;
    }

    static double expit(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    /** The log-likelihood at ψ = expit(a), p = expit(b). */
    double value(double a, double b) {
        double logPsi = -Math.log1p(Math.exp(-a));      // log ψ
        double log1mPsi = -Math.log1p(Math.exp(a));     // log(1−ψ)
        double logP = -Math.log1p(Math.exp(-b));
        double log1mP = -Math.log1p(Math.exp(b));
        double sum = 0;
        for (long[] g : groups) {
            long k = g[0];
            long d = g[1];
            double site;
            if (d > 0) {
                site = logPsi + d * logP + (k - d) * log1mP;
            } else {
                // log(ψ(1−p)^K + 1−ψ), summed as logs to stay finite at the extremes
                site = logSum(logPsi + k * log1mP, log1mPsi);
            }
            sum += g[2] * site;
        }
        return sum;
    }

    private static double logSum(double x, double y) {
        double max = Math.max(x, y);
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        return max + Math.log(Math.exp(x - max) + Math.exp(y - max));
    }

    /** ∂ℓ/∂a, ∂ℓ/∂b. */
    double[] gradient(double a, double b) {
        double psi = expit(a);
        double p = expit(b);
        double ga = 0;
        double gb = 0;
        for (long[] g : groups) {
            long k = g[0];
            long d = g[1];
            long m = g[2];
            if (d > 0) {
                ga += m * (1 - psi);
                gb += m * (d - k * p);
            } else {
                double q = Math.pow(1 - p, k);
                double u = 1 - psi * (1 - q);
                ga += m * (-psi * (1 - psi) * (1 - q) / u);
                gb += m * (-psi * k * p * q / u);
            }
        }
        return new double[] {ga, gb};
    }

    /** The Hessian {{∂²ℓ/∂a², ∂²ℓ/∂a∂b}, {∂²ℓ/∂a∂b, ∂²ℓ/∂b²}}. */
    double[][] hessian(double a, double b) {
        double psi = expit(a);
        double p = expit(b);
        double haa = 0;
        double hab = 0;
        double hbb = 0;
        for (long[] g : groups) {
            long k = g[0];
            long d = g[1];
            long m = g[2];
            if (d > 0) {
                haa += m * (-psi * (1 - psi));
                hbb += m * (-k * p * (1 - p));
            } else {
                // ℓ = log u, u = 1 − ψ(1−q), q = (1−p)^K: ∂²ℓ = u_xy/u − u_x·u_y/u²
                double q = Math.pow(1 - p, k);
                double u = 1 - psi * (1 - q);
                double ua = -psi * (1 - psi) * (1 - q);
                double ub = -psi * k * p * q;
                double uaa = -(1 - q) * psi * (1 - psi) * (1 - 2 * psi);
                double ubb = -psi * k * p * q * (1 - p - k * p);
                double uab = -psi * (1 - psi) * k * p * q;
                haa += m * (uaa / u - ua * ua / (u * u));
                hab += m * (uab / u - ua * ub / (u * u));
                hbb += m * (ubb / u - ub * ub / (u * u));
            }
        }
        return new double[][] {{haa, hab}, {hab, hbb}};
    }
}
