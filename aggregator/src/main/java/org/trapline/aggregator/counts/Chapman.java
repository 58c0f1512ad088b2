package org.trapline.aggregator.counts;

/**
 * Chapman's estimator of a closed population from two capture occasions: {@code n1} individuals seen on
 * the first, {@code n2} on the second, {@code m2} of them on both.
 *
 * <pre>
 * N̂   = (n1+1)(n2+1)/(m2+1) − 1
 * var = (n1+1)(n2+1)(n1−m2)(n2−m2) / ((m2+1)²(m2+2))
 * </pre>
 *
 * The 95% interval is Chao's (1987) log-normal one, as closed-population software gives it: with
 * {@code M = n1+n2−m2} individuals seen and {@code f0 = N̂ − M} estimated unseen,
 * {@code C = exp(1.96·√ln(1 + var/f0²))}, the interval is {@code [M + f0/C, M + f0·C]}. Unlike
 * {@code N̂ ± 1.96·√var}, it never reaches below the animals actually seen, which the symmetric interval
 * does for samples of a camera-trap season's size. When {@code f0 ≤ 0} or the variance is 0 (every
 * animal seen twice, or none on one occasion), the interval is the estimate itself.
 *
 * @param seen {@code M = n1 + n2 − m2}, the number of distinct individuals seen (minimum known alive)
 */
public record Chapman(long n1, long n2, long m2, double estimate, double variance, double lower95, double upper95,
                      long seen) {

    static final double Z95 = 1.959963984540054;

    public static Chapman of(long n1, long n2, long m2) {
        if (n1 < 0 || n2 < 0 || m2 < 0 || m2 > Math.min(n1, n2)) {
            throw new IllegalArgumentException("not a capture history: n1=" + n1 + " n2=" + n2 + " m2=" + m2);
        }
        double estimate = (double) (n1 + 1) * (n2 + 1) / (m2 + 1) - 1;
        double variance = (double) (n1 + 1) * (n2 + 1) * (n1 - m2) * (n2 - m2) / ((double) (m2 + 1) * (m2 + 1) * (m2 + 2));
        long seen = n1 + n2 - m2;
        double unseen = estimate - seen;
        double lower = estimate;
        double upper = estimate;
        if (unseen > 0 && variance > 0) {
            double c = Math.exp(Z95 * Math.sqrt(Math.log(1 + variance / (unseen * unseen))));
            lower = seen + unseen / c;
            upper = seen + unseen * c;
        }
        return new Chapman(n1, n2, m2, estimate, variance, lower, upper, seen);
    }
}
