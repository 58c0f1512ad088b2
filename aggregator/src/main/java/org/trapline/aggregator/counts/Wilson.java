package org.trapline.aggregator.counts;

/**
 * A proportion {@code k} of {@code n} with Wilson's 95% score interval, the interval to use for the small
 * counts of a camera-trap season: unlike p̂ ± 1.96·√(p̂(1−p̂)/n) it stays within 0 and 1 and does not
 * collapse to a point at 0 of n or n of n.
 *
 * <pre>
 * p̂ = k/n,  z = 1.959964
 * centre = (p̂ + z²/2n) / (1 + z²/n)
 * half   = z·√(p̂(1−p̂)/n + z²/4n²) / (1 + z²/n)
 * 95%    = [centre − half, centre + half]
 * </pre>
 *
 * With {@code n = 0} there is no proportion: estimate and interval are null.
 */
public record Wilson(long count, long of, Double estimate, Double lower95, Double upper95) {

    public static Wilson of(long k, long n) {
        if (k < 0 || n < 0 || k > n) {
            throw new IllegalArgumentException("not a proportion: " + k + " of " + n);
        }
        if (n == 0) {
            return new Wilson(0, 0, null, null, null);
        }
        double p = (double) k / n;
        double z2 = Chapman.Z95 * Chapman.Z95;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denominator;
        double half = Chapman.Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        return new Wilson(k, n, p, Math.max(0, centre - half), Math.min(1, centre + half));
    }
}
