package io.painjournal.analytics.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The noise has the distribution of the discrete Laplace mechanism: checked on many draws (seeded, so the test
 * is repeatable) against its exact probabilities and variance.
 */
class LaplaceNoiseTest {

    private static final int DRAWS = 40_000;

    /** P(z) = (1 − q)/(1 + q) · q^|z|, q = exp(−ε/Δ): at ε = 1, Δ = 1, P(0) = 0.4621, P(±1) = 0.1700 each. */
    @Test
    void countNoiseHasTheDiscreteLaplaceProbabilities() {
        LaplaceNoise noise = new LaplaceNoise(new Random(42));
        int[] counts = new int[5];
        double sumSquares = 0;
        for (int i = 0; i < DRAWS; i++) {
            long z = noise.count(100, 1, 1.0) - 100;
            if (Math.abs(z) <= 2) {
                counts[(int) z + 2]++;
            }
            sumSquares += z * z;
        }
        double q = Math.exp(-1);
        double p0 = (1 - q) / (1 + q);
        assertEquals(p0, counts[2] / (double) DRAWS, 0.01);
        assertEquals(p0 * q, counts[1] / (double) DRAWS, 0.01);
        assertEquals(p0 * q, counts[3] / (double) DRAWS, 0.01);
        assertEquals(p0 * q * q, counts[4] / (double) DRAWS, 0.01);
        assertEquals(LaplaceNoise.countVariance(1, 1.0), sumSquares / DRAWS, 0.05 * LaplaceNoise.countVariance(1, 1.0));
    }

    /** A sum of sensitivity 10 at ε = 0.5: mean the value, variance ≈ 2·(Δ/ε)² = 800, tails of a Laplace. */
    @Test
    void sumNoiseIsCentredWithTheVarianceOfItsSensitivity() {
        LaplaceNoise noise = new LaplaceNoise(new Random(7));
        double sum = 0;
        double sumSquares = 0;
        int beyondTwoScales = 0;
        double scale = 10 / 0.5;
        for (int i = 0; i < DRAWS; i++) {
            double z = noise.sum(123.456, 10, 0.5) - 123.456;
            sum += z;
            sumSquares += z * z;
            if (Math.abs(z) > 2 * scale) {
                beyondTwoScales++;
            }
        }
        double variance = LaplaceNoise.sumVariance(10, 0.5);
        assertEquals(2 * scale * scale, variance, 0.01 * variance, "about 2 (Δ/ε)²");
        assertEquals(0, sum / DRAWS, 4 * Math.sqrt(variance / DRAWS), "centred");
        assertEquals(variance, sumSquares / DRAWS, 0.05 * variance);
        // P(|Laplace| > 2b) = e^−2 = 0.135
        assertEquals(Math.exp(-2), beyondTwoScales / (double) DRAWS, 0.01);
    }

    @Test
    void answersDifferFromTheExactValueAndBadEpsilonsAreRefused() {
        LaplaceNoise noise = new LaplaceNoise();
        int same = 0;
        for (int i = 0; i < 100; i++) {
            if (noise.sum(50, 10, 0.5) == 50) {
                same++;
            }
        }
        assertNotEquals(100, same);
        assertThrows(IllegalArgumentException.class, () -> noise.count(1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> noise.sum(1, 1, Double.NaN));
    }
}
