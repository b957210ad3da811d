package io.painjournal.analytics.trials;

import java.util.List;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Many people's personal trials of the same two techniques, pooled (API.md section 8): a DerSimonian–Laird
 * random-effects meta-analysis in which each counted trial is a study, its difference dᵢ oriented as the pair
 * was asked and its variance vᵢ = max(sdᵢ², 0.25)/nᵢ. Pure: the caller picks the counted trials.
 */
public final class PooledTrials {

    /** The floor of a trial's sd² of pair differences: a trial whose pairs happened to agree is not certain. */
    public static final double SD_SQUARED_FLOOR = 0.25;
    /** z of a two-sided 95 % normal interval, to the digits the contract gives. */
    public static final double Z95 = 1.959964;
    /** The smallest change in pain that matters to people in pain. */
    public static final double ONE_POINT = 1;

    private static final NormalDistribution STANDARD = new NormalDistribution(null, 0, 1);

    /** One study: a difference and its variance. */
    public record Study(double difference, double variance) {

        /** A trial of n complete pairs with this mean and sd of its pair differences. */
        public static Study ofTrial(double meanDifference, double sdDifference, int pairs) {
            return new Study(meanDifference, Math.max(sdDifference * sdDifference, SD_SQUARED_FLOOR) / pairs);
        }
    }

    /**
     * The pooled answer: μ (mean difference), its se, τ² (between-person variance), Q (heterogeneity) and m
     * (studies).
     */
    public record Pooled(int studies, double mean, double se, double betweenVariance, double heterogeneityQ) {

        public double[] ci95() {
            return new double[] {mean - Z95 * se, mean + Z95 * se};
        }

        /** √(τ² + se²): the sd of where a new person's difference is likely to fall. */
        public double predictionSd() {
            return Math.sqrt(betweenVariance + se * se);
        }

        public double[] predictionInterval95() {
            return new double[] {mean - Z95 * predictionSd(), mean + Z95 * predictionSd()};
        }

        /** Φ((μ − 1)/√(τ² + se²)): the share of people for whom the first helps by a point or more. */
        public double shareFirstBetterByOne() {
            return STANDARD.cumulativeProbability((mean - ONE_POINT) / predictionSd());
        }

        /** Φ((−1 − μ)/√(τ² + se²)). */
        public double shareSecondBetterByOne() {
            return STANDARD.cumulativeProbability((-ONE_POINT - mean) / predictionSd());
        }

        public double betweenSd() {
            return Math.sqrt(betweenVariance);
        }
    }

    private PooledTrials() {}

    /** DerSimonian–Laird over the studies (at least one). */
    public static Pooled of(List<Study> studies) {
        int m = studies.size();
        if (m == 0) {
            throw new IllegalArgumentException("no study to pool");
        }
        double w = 0;
        double w2 = 0;
        double wd = 0;
        for (Study s : studies) {
            double wi = 1 / s.variance();
            w += wi;
            w2 += wi * wi;
            wd += wi * s.difference();
        }
        double fixed = wd / w;
        double q = 0;
        for (Study s : studies) {
            q += (s.difference() - fixed) * (s.difference() - fixed) / s.variance();
        }
        double c = w - w2 / w;
        double tau2 = c == 0 ? 0 : Math.max(0, (q - (m - 1)) / c);
        double wStar = 0;
        double wStarD = 0;
        for (Study s : studies) {
            double wi = 1 / (s.variance() + tau2);
            wStar += wi;
            wStarD += wi * s.difference();
        }
        return new Pooled(m, wStarD / wStar, 1 / Math.sqrt(wStar), tau2, q);
    }

    /**
     * A trial's posterior (API.md section 8): its own difference and variance, combined with the prior
     * N(μ′, τ′² + se′²) of the other users' trials when there is one (null: none).
     *
     * @return mean, sd, and the probabilities that the first is better, better by a point, and the second
     *     better by a point
     */
    public static TrialPosterior posterior(Study own, Pooled others) {
        double mean;
        double sd;
        if (others == null) {
            mean = own.difference();
            sd = Math.sqrt(own.variance());
        } else {
            double priorVariance = others.betweenVariance() + others.se() * others.se();
            double precision = 1 / priorVariance + 1 / own.variance();
            mean = (others.mean() / priorVariance + own.difference() / own.variance()) / precision;
            sd = 1 / Math.sqrt(precision);
        }
        return new TrialPosterior(
                mean,
                sd,
                mean - Z95 * sd,
                mean + Z95 * sd,
                STANDARD.cumulativeProbability(mean / sd),
                STANDARD.cumulativeProbability((mean - ONE_POINT) / sd),
                STANDARD.cumulativeProbability((-ONE_POINT - mean) / sd),
                others == null ? 0 : others.studies());
    }

    /** A trial's posterior difference (first − second technique) and what it says. */
    public record TrialPosterior(
            double mean,
            double sd,
            double lower,
            double upper,
            double probabilityFirstBetter,
            double probabilityFirstBetterByOne,
            double probabilitySecondBetterByOne,
            int priorTrials) {}
}
