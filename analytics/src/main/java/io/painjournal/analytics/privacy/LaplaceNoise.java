package io.painjournal.analytics.privacy;

import java.security.SecureRandom;
import java.util.Random;
import org.apache.commons.math3.distribution.GeometricDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.RandomGeneratorFactory;

/**
 * The discrete Laplace (two-sided geometric) mechanism of Ghosh, Roughgarden and Sundararajan (2009): a value is
 * snapped to a grid of granularity γ and moved by γ·(G₁ − G₂), G₁ and G₂ geometric with success probability
 * 1 − exp(−ε·γ/Δ), drawn by commons-math3 from a {@link SecureRandom}. On the grid it is ε-differentially
 * private for a quantity whose value one user can change by at most Δ (its L1 sensitivity); working on a grid
 * of integers avoids the floating-point weaknesses of textbook Laplace sampling (Mironov 2012), and the noise's
 * variance is 2q/(1 − q)²·γ² with q = exp(−ε·γ/Δ), about 2(Δ/ε)².
 */
public final class LaplaceNoise {

    public static final String MECHANISM = "discrete-laplace";
    /** The grid of real-valued sums, as a fraction of their sensitivity. */
    static final double STEPS_PER_SENSITIVITY = 1000;

    private final RandomGenerator random;

    public LaplaceNoise() {
        this(new SecureRandom());
    }

    /** With a given source of randomness (tests with a seed; production uses a SecureRandom). */
    public LaplaceNoise(Random source) {
        this.random = RandomGeneratorFactory.createRandomGenerator(source);
    }

    /** A count (integer values, integer sensitivity Δ) released at ε: an integer. */
    public long count(long value, long sensitivity, double epsilon) {
        return value + steps(epsilon / sensitivity);
    }

    /**
     * A real-valued sum released at ε. Snapping to the grid may move a neighbour's value by one step more, so the
     * noise is calibrated to Δ + γ.
     */
    public double sum(double value, double sensitivity, double epsilon) {
        double grid = granularity(sensitivity);
        return (Math.round(value / grid) + steps(epsilon * grid / (sensitivity + grid))) * grid;
    }

    /** The variance of the noise {@link #sum} adds. */
    public static double sumVariance(double sensitivity, double epsilon) {
        double grid = granularity(sensitivity);
        return stepVariance(epsilon * grid / (sensitivity + grid)) * grid * grid;
    }

    /** The variance of the noise {@link #count} adds. */
    public static double countVariance(long sensitivity, double epsilon) {
        return stepVariance(epsilon / sensitivity);
    }

    static double granularity(double sensitivity) {
        return sensitivity / STEPS_PER_SENSITIVITY;
    }

    /** Var(G₁ − G₂) = 2q/(1 − q)², q = exp(−rate). */
    private static double stepVariance(double rate) {
        double q = Math.exp(-rate);
        return 2 * q / ((1 - q) * (1 - q));
    }

    /** Discrete Laplace noise in grid steps: P(z) ∝ exp(−rate·|z|). */
    private long steps(double rate) {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("epsilon must be a positive number");
        }
        double p = -Math.expm1(-rate); // 1 − q, exact for small rates
        GeometricDistribution g = new GeometricDistribution(random, p);
        return (long) g.sample() - g.sample();
    }
}
