package io.painjournal.analytics.stats;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The probability that each of several independent normal posteriors is the largest:
 * P(t best) = ∫ φₜ(x) Πⱼ≠ₜ Φⱼ(x) dx, by Simpson's rule on one grid for every candidate. The grid spans
 * {@link #REACH} sds beyond every mean and steps a {@link #STEPS_PER_SD}th of the narrowest sd, so the
 * steepest Φⱼ and the narrowest φₜ are both resolved; each point costs one Φ and one φ a candidate
 * (the products without t come from prefix and suffix products). Accurate to about 1e-6; the contract
 * asks for 0.002. Deterministic: no random draw.
 */
public final class ProbabilityBest {

    private static final NormalDistribution STANDARD = new NormalDistribution(null, 0, 1);
    /** Beyond this many sds the density is below 1e-18: the integral's tails are nothing. */
    static final double REACH = 9;
    /** Grid steps per sd of the narrowest posterior. */
    static final int STEPS_PER_SD = 6;
    /** At most this many grid steps (a posterior thousands of times narrower than another gets fewer per sd). */
    static final int MOST_STEPS = 20_000;

    private static final double SQRT_TWO_PI = Math.sqrt(2 * Math.PI);

    private ProbabilityBest() {}

    /**
     * P(each is best), in the order given; {@code means} and {@code sds} of the same length, every sd &gt; 0.
     * One candidate: 1.
     */
    public static double[] of(double[] means, double[] sds) {
        int k = means.length;
        double[] p = new double[k];
        if (k == 1) {
            p[0] = 1;
            return p;
        }
        double from = Double.POSITIVE_INFINITY;
        double to = Double.NEGATIVE_INFINITY;
        double narrowest = Double.POSITIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            from = Math.min(from, means[j] - REACH * sds[j]);
            to = Math.max(to, means[j] + REACH * sds[j]);
            narrowest = Math.min(narrowest, sds[j]);
        }
        int steps = (int) Math.min(MOST_STEPS, Math.ceil((to - from) / narrowest * STEPS_PER_SD));
        steps += steps % 2; // Simpson's rule takes an even number of steps
        double h = (to - from) / steps;
        double[] cdf = new double[k];
        double[] pdf = new double[k];
        double[] before = new double[k + 1];
        for (int i = 0; i <= steps; i++) {
            double x = from + i * h;
            for (int j = 0; j < k; j++) {
                double z = (x - means[j]) / sds[j];
                if (Math.abs(z) > REACH) { // Φ is 0 or 1 and φ nothing to 1e-18: no need to compute them
                    cdf[j] = z > 0 ? 1 : 0;
                    pdf[j] = 0;
                } else {
                    cdf[j] = STANDARD.cumulativeProbability(z);
                    pdf[j] = Math.exp(-0.5 * z * z) / (sds[j] * SQRT_TWO_PI);
                }
            }
            before[0] = 1;
            for (int j = 0; j < k; j++) {
                before[j + 1] = before[j] * cdf[j];
            }
            double weight = (i == 0 || i == steps ? 1 : i % 2 == 1 ? 4 : 2) * h / 3;
            double after = 1;
            for (int t = k - 1; t >= 0; t--) {
                p[t] += weight * pdf[t] * before[t] * after;
                after *= cdf[t];
            }
        }
        return p;
    }
}
