package io.painjournal.analytics.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/** P(best) by quadrature against closed forms and a seeded Monte Carlo. */
class ProbabilityBestTest {

    private static final double PROMISED = 0.002;

    @Test
    void oneCandidateIsSurelyBest() {
        assertArrayEquals(new double[] {1}, ProbabilityBest.of(new double[] {0.3}, new double[] {2}));
    }

    @Test
    void twoCandidatesAreTheNormalOfTheirDifference() {
        // P(X₁ > X₂) = Φ((m₁ − m₂)/√(q₁² + q₂²)), exactly
        double[][] cases = {{2.5, 0.3, 2.0, 0.9}, {1, 1, 1, 1}, {3, 0.01, 2.99, 2}, {0, 0.05, 0.2, 0.04}};
        for (double[] c : cases) {
            double[] p = ProbabilityBest.of(new double[] {c[0], c[2]}, new double[] {c[1], c[3]});
            double exact =
                    new NormalDistribution(null, 0, 1).cumulativeProbability((c[0] - c[2]) / Math.hypot(c[1], c[3]));
            assertEquals(exact, p[0], 1e-5, java.util.Arrays.toString(c));
            assertEquals(1 - exact, p[1], 1e-5, java.util.Arrays.toString(c));
        }
    }

    @Test
    void identicalCandidatesShareEvenly() {
        double[] p = ProbabilityBest.of(new double[] {2, 2, 2}, new double[] {0.7, 0.7, 0.7});
        for (double x : p) {
            assertEquals(1.0 / 3, x, 1e-6);
        }
    }

    @Test
    void manyCandidatesAgreeWithASeededMonteCarloAndAddUpToOne() {
        double[] means = {2.48, 2.3, 1.1, 2.9, 0.4, 2.45, 1.8};
        double[] sds = {0.31, 0.9, 0.2, 1.4, 0.05, 0.33, 0.6};
        double[] p = ProbabilityBest.of(means, sds);
        Random random = new Random(20261208);
        int draws = 2_000_000;
        int[] wins = new int[means.length];
        for (int d = 0; d < draws; d++) {
            int best = 0;
            double top = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < means.length; j++) {
                double x = means[j] + sds[j] * random.nextGaussian();
                if (x > top) {
                    top = x;
                    best = j;
                }
            }
            wins[best]++;
        }
        double total = 0;
        for (int j = 0; j < means.length; j++) {
            // 2 million draws: the Monte Carlo's own sd is at most 0.00035
            assertEquals((double) wins[j] / draws, p[j], PROMISED, "candidate " + j);
            total += p[j];
        }
        assertEquals(1, total, 1e-5);
    }
}
