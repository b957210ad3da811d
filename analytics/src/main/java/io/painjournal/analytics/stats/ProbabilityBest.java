package io.painjournal.analytics.stats;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The probability that each of several independent normal posteriors is the largest:
 * P(t best) = ∫ φₜ(x) Πⱼ≠ₜ Φⱼ(x) dx, by adaptive Simpson quadrature (deterministic, to about 1e-7; the
 * contract asks for 0.002). Adaptive, because a posterior much narrower than another makes its Φ a steep
 * step that a fixed grid would straddle.
 */
public final class ProbabilityBest {

    private static final NormalDistribution STANDARD = new NormalDistribution(null, 0, 1);
    /** Beyond this many sds the density is below 1e-18: the integral's tails are nothing. */
    private static final double REACH = 9;

    private static final double TOLERANCE = 1e-8;
    private static final int MAX_DEPTH = 40;

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
        for (int t = 0; t < k; t++) {
            int candidate = t;
            // x = mₜ + qₜ·z: the density of t is φ(z), the others' Φ at x
            Integrand f = z -> {
                double x = means[candidate] + sds[candidate] * z;
                double value = STANDARD.density(z);
                for (int j = 0; j < k && value > 0; j++) {
                    if (j != candidate) {
                        value *= STANDARD.cumulativeProbability((x - means[j]) / sds[j]);
                    }
                }
                return value;
            };
            p[t] = simpson(f, -REACH, REACH);
        }
        return p;
    }

    private interface Integrand {
        double at(double z);
    }

    private static double simpson(Integrand f, double a, double b) {
        double fa = f.at(a);
        double fb = f.at(b);
        double m = (a + b) / 2;
        double fm = f.at(m);
        return adapt(f, a, b, fa, fm, fb, (b - a) / 6 * (fa + 4 * fm + fb), TOLERANCE, MAX_DEPTH);
    }

    private static double adapt(
            Integrand f, double a, double b, double fa, double fm, double fb, double whole, double tol, int depth) {
        double m = (a + b) / 2;
        double lm = (a + m) / 2;
        double rm = (m + b) / 2;
        double flm = f.at(lm);
        double frm = f.at(rm);
        double left = (m - a) / 6 * (fa + 4 * flm + fm);
        double right = (b - m) / 6 * (fm + 4 * frm + fb);
        double delta = left + right - whole;
        // at least a few levels: a coarse first guess can miss a narrow peak entirely
        if (depth <= 0 || (depth < MAX_DEPTH - 5 && Math.abs(delta) <= 15 * tol)) {
            return left + right + delta / 15;
        }
        return adapt(f, a, m, fa, flm, fm, left, tol / 2, depth - 1)
                + adapt(f, m, b, fm, frm, fb, right, tol / 2, depth - 1);
    }
}
