package io.painjournal.analytics.cohorts;

import io.painjournal.query.CohortQuery;
import io.painjournal.query.Results.CohortArm;
import io.painjournal.query.Results.CohortComparison;
import io.painjournal.query.Results.Interval;
import java.time.Instant;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The statistics of {@code GET /v1/research/cohorts} from each arm's {@link ArmSums}: per arm the mean of the
 * users' means, its sample sd and t-interval (n − 1 degrees of freedom); between arms the Welch interval of the
 * difference (Welch–Satterthwaite degrees of freedom) and Hedges' g. Pure.
 */
public final class CohortStats {

    private CohortStats() {}

    /** The comparison of two arms at k; an arm below k is suppressed, and with it every between-arm figure. */
    public static CohortComparison compare(CohortQuery q, ArmSums a, ArmSums b, Instant asOf) {
        int k = q.minUsers();
        CohortArm armA = arm(q.a(), a, k);
        CohortArm armB = arm(q.b(), b, k);
        if (armA.suppressed() || armB.suppressed()) {
            return new CohortComparison(asOf, q.days(), q.technique(), armA, armB, null, null, null, null, null, null);
        }
        Moments ma = Moments.of(a.users(), a.sumMean(), a.sumMeanSquares());
        Moments mb = Moments.of(b.users(), b.sumMean(), b.sumMeanSquares());
        Double painDifference = null;
        Interval painInterval = null;
        if (armA.painChange() != null && armB.painChange() != null) {
            Moments pa = Moments.of(a.painUsers(), a.sumPain(), a.sumPainSquares());
            Moments pb = Moments.of(b.painUsers(), b.sumPain(), b.sumPainSquares());
            painDifference = pa.mean() - pb.mean();
            painInterval = welch(pa, pb);
        }
        return new CohortComparison(
                asOf,
                q.days(),
                q.technique(),
                armA,
                armB,
                ma.mean() - mb.mean(),
                welch(ma, mb),
                hedgesG(ma, mb),
                painDifference,
                painInterval,
                null);
    }

    /** One arm at k: suppressed below k users; its pain-change figures null below k users with one. */
    public static CohortArm arm(String cohort, ArmSums s, int k) {
        if (s.users() < k || s.users() == 0) {
            return CohortArm.suppressed(cohort);
        }
        Moments m = Moments.of(s.users(), s.sumMean(), s.sumMeanSquares());
        boolean pain = s.painUsers() >= k && s.painUsers() > 0;
        Moments p = pain ? Moments.of(s.painUsers(), s.sumPain(), s.sumPainSquares()) : null;
        return new CohortArm(
                cohort,
                false,
                s.users(),
                s.sessions(),
                m.mean(),
                m.sd(),
                tInterval(m),
                pain ? p.mean() : null,
                pain ? p.sd() : null,
                pain ? tInterval(p) : null,
                s.painUsers());
    }

    /** mean ± t(0.975, n − 1)·sd/√n; null when n < 2. */
    public static Interval tInterval(Moments m) {
        if (m.n() < 2 || m.sd() == null) {
            return null;
        }
        double half = t975(m.n() - 1) * m.sd() / Math.sqrt(m.n());
        return new Interval(m.mean() - half, m.mean() + half);
    }

    /**
     * The 95 % Welch interval of mean(a) − mean(b), with the Welch–Satterthwaite degrees of freedom; a
     * zero-width interval when both sds are 0; null when an arm has fewer than 2 users.
     */
    public static Interval welch(Moments a, Moments b) {
        if (a.n() < 2 || b.n() < 2) {
            return null;
        }
        double d = a.mean() - b.mean();
        double va = a.sd() * a.sd() / a.n();
        double vb = b.sd() * b.sd() / b.n();
        double se = Math.sqrt(va + vb);
        if (se == 0) {
            return new Interval(d, d);
        }
        double df = (va + vb) * (va + vb) / (va * va / (a.n() - 1) + vb * vb / (b.n() - 1));
        double half = t975(df) * se;
        return new Interval(d - half, d + half);
    }

    /**
     * Hedges' g: (mean(a) − mean(b)) / pooled sd × (1 − 3 / (4(nₐ + n_b) − 9)); null when the pooled sd is 0
     * or an arm has fewer than 2 users.
     */
    public static Double hedgesG(Moments a, Moments b) {
        if (a.n() < 2 || b.n() < 2) {
            return null;
        }
        double pooled =
                Math.sqrt(((a.n() - 1) * a.sd() * a.sd() + (b.n() - 1) * b.sd() * b.sd()) / (a.n() + b.n() - 2));
        if (pooled == 0) {
            return null;
        }
        return (a.mean() - b.mean()) / pooled * (1 - 3.0 / (4 * (a.n() + b.n()) - 9));
    }

    private static double t975(double df) {
        return new TDistribution(null, df).inverseCumulativeProbability(0.975);
    }

    /** n, mean and sample sd (null when n < 2) of values given by their sums. */
    public record Moments(double n, double mean, Double sd) {

        public static Moments of(double n, double sum, double sumSquares) {
            double mean = sum / n;
            Double sd = null;
            if (n >= 2) {
                double variance = (sumSquares - n * mean * mean) / (n - 1);
                // equal values leave a rounding residue of the sums, not a spread
                sd = variance <= 1e-12 * Math.max(1, sumSquares / n) ? 0 : Math.sqrt(variance);
            }
            return new Moments(n, mean, sd);
        }
    }
}
