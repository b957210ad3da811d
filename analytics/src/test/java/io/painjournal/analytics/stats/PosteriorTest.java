package io.painjournal.analytics.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/**
 * A user's posterior on worked examples, checked against the conjugate normal update written the other way
 * round: m = (n·v·ȳ + σ²·μ)/(n·v + σ²), q² = v·σ²/(n·v + σ²).
 */
class PosteriorTest {

    private static final double EXACT = 1e-12;
    /** μ 2, V 3, σ² 2.5, τ² 1.5, v = 1.5 + 3/50 over N = 50 sessions. */
    private static final TechniqueModel MODEL = new TechniqueModel(2, 3, 2.5, 1.5, 1.56);

    private static void assertConjugate(long n, long sum, Posterior p) {
        double v = MODEL.priorVariance();
        double s2 = MODEL.withinVariance();
        double mean = n == 0 ? MODEL.mean() : (n * v * ((double) sum / n) + s2 * MODEL.mean()) / (n * v + s2);
        double sd = Math.sqrt(v * s2 / (n * v + s2));
        assertEquals(mean, p.mean(), EXACT, "mean");
        assertEquals(sd, p.sd(), EXACT, "sd");
        assertEquals(mean - 1.959964 * sd, p.lower(), EXACT);
        assertEquals(mean + 1.959964 * sd, p.upper(), EXACT);
        assertEquals(s2 / v, p.priorSessions(), EXACT);
        assertEquals(
                new NormalDistribution(mean, sd).probability(1, Double.POSITIVE_INFINITY),
                p.probabilityMeaningful(),
                1e-9);
    }

    @Test
    void aTechniqueNotTriedIsThePrior() {
        Posterior p = Posterior.of(MODEL, 0, 0);
        assertEquals(2, p.mean(), EXACT);
        assertEquals(Math.sqrt(1.56), p.sd(), EXACT);
        assertConjugate(0, 0, p);
        // Φ((2 − 1)/√1.56) = Φ(0.80064) ≈ 0.78833
        assertEquals(0.78833, p.probabilityMeaningful(), 1e-5);
    }

    @Test
    void oneSessionMovesTheMeanByItsShareOfThePrecision() {
        // one session of 6: P = 1/1.56 + 1/2.5 = 1.041026; m = (2/1.56 + 6/2.5)/P = 3.536946
        Posterior p = Posterior.of(MODEL, 1, 6);
        assertEquals((2 / 1.56 + 6 / 2.5) / (1 / 1.56 + 1 / 2.5), p.mean(), EXACT);
        assertEquals(3.536946, p.mean(), 1e-6);
        assertConjugate(1, 6, p);
    }

    @Test
    void manySessionsLeaveThePriorBehind() {
        Posterior p = Posterior.of(MODEL, 40, 40 * 4);
        assertConjugate(40, 160, p);
        assertTrue(Math.abs(p.mean() - 4) < 0.1, "40 sessions at 4 points: about 4 (3.92), not the population's 2");
        assertTrue(p.sd() < 0.26, "and sure of it: " + p.sd());
    }

    @Test
    void negativeReliefIsUnlikelyToMatter() {
        Posterior p = Posterior.of(MODEL, 5, -5);
        assertConjugate(5, -5, p);
        assertTrue(p.probabilityMeaningful() < 0.05);
    }
}
