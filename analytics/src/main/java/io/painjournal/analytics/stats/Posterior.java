package io.painjournal.analytics.stats;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * One user's posterior for one technique (API.md section 7): the technique's model (the prior, from the
 * population) updated with the user's own sessions of it, as a normal distribution.
 *
 * @param mean                  m = (μ/v + S'/σ²)/P, with precision P = 1/v + n/σ²
 * @param sd                    q = 1/√P (how unsure the estimate of this user's effect is; not the sessions' sd)
 * @param lower                 m − 1.959964·q
 * @param upper                 m + 1.959964·q
 * @param priorSessions         σ²/v: how many of the user's own sessions the population is worth
 * @param probabilityMeaningful Φ((m − 1)/q): the probability that the technique eases this user's pain by at
 *                              least one point, the smallest change that matters to people in pain
 */
public record Posterior(
        double mean, double sd, double lower, double upper, double priorSessions, double probabilityMeaningful) {

    /** z of a two-sided 95 % normal interval, to the digits the contract gives. */
    public static final double Z95 = 1.959964;

    /** The smallest relief, in points, that matters to people in pain. */
    public static final double MEANINGFUL_POINTS = 1;

    private static final NormalDistribution STANDARD = new NormalDistribution(null, 0, 1);

    /**
     * The posterior of a user with {@code sessions} sessions of the technique whose reductions sum to
     * {@code sumReduction} (0 and 0 for a technique they have not tried).
     */
    public static Posterior of(TechniqueModel model, long sessions, long sumReduction) {
        double v = model.priorVariance();
        double sigma2 = model.withinVariance();
        double precision = 1 / v + sessions / sigma2;
        double mean = (model.mean() / v + sumReduction / sigma2) / precision;
        double sd = 1 / Math.sqrt(precision);
        return new Posterior(
                mean,
                sd,
                mean - Z95 * sd,
                mean + Z95 * sd,
                model.priorSessions(),
                STANDARD.cumulativeProbability((mean - MEANINGFUL_POINTS) / sd));
    }
}
