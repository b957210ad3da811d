package io.painjournal.analytics.trials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.painjournal.analytics.trials.PooledTrials.Pooled;
import io.painjournal.analytics.trials.PooledTrials.Study;
import io.painjournal.analytics.trials.PooledTrials.TrialPosterior;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/** DerSimonian–Laird and the trial posterior: a published table, worked examples, the conjugate update. */
class PooledTrialsTest {

    /**
     * The 13 BCG vaccine trials (Colditz et al. 1994; R metafor's {@code dat.bcg}): vaccinated TB cases and
     * non-cases, then control cases and non-cases.
     */
    static final int[][] BCG = {
        {4, 119, 11, 128}, {6, 300, 29, 274}, {3, 228, 11, 209}, {62, 13536, 248, 12619},
        {33, 5036, 47, 5761}, {180, 1361, 372, 1079}, {8, 2537, 10, 619}, {505, 87886, 499, 87892},
        {29, 7470, 45, 7232}, {17, 1699, 65, 1600}, {186, 50448, 141, 27197}, {5, 2493, 3, 2338},
        {27, 16886, 29, 17825}
    };

    @Test
    void theBcgTrialsGiveMetaforsDerSimonianLairdTable() {
        // log risk ratios and their variances, as metafor's escalc(measure = "RR") computes them
        List<Study> studies = new ArrayList<>();
        for (int[] t : BCG) {
            double treated = t[0] + t[1];
            double control = t[2] + t[3];
            studies.add(new Study(
                    Math.log((t[0] / treated) / (t[2] / control)),
                    1.0 / t[0] - 1 / treated + 1.0 / t[2] - 1 / control));
        }
        Pooled p = PooledTrials.of(studies);
        // rma(yi, vi, data = dat, method = "DL"): tau^2 0.3088, Q(df = 12) 152.2330, estimate -0.7141, se 0.1787
        assertEquals(0.3088, p.betweenVariance(), 5e-5);
        assertEquals(152.2330, p.heterogeneityQ(), 5e-5);
        assertEquals(-0.7141, p.mean(), 5e-5);
        assertEquals(0.1787, p.se(), 5e-5);
        assertEquals(13, p.studies());
    }

    @Test
    void trialsThatAgreeHaveNoBetweenPersonVariance() {
        // three trials of 0.8, 1.0, 1.2 with variance 0.25: Q = (0.04 + 0 + 0.04)/0.25 = 0.32 < 2, so τ² = 0,
        // μ = 1, se = √(0.25/3)
        Pooled p = PooledTrials.of(List.of(new Study(0.8, 0.25), new Study(1.0, 0.25), new Study(1.2, 0.25)));
        assertEquals(0, p.betweenVariance(), 1e-12);
        assertEquals(0.32, p.heterogeneityQ(), 1e-12);
        assertEquals(1, p.mean(), 1e-12);
        assertEquals(Math.sqrt(0.25 / 3), p.se(), 1e-12);
        assertEquals(p.se(), p.predictionSd(), 1e-12);
    }

    @Test
    void trialsThatDisagreeHaveAWorkedTauSquared() {
        // d = 2, 0, −1 with v = 0.5, 0.25, 1: w = 2, 4, 1; W = 7; d̄ = (4 + 0 − 1)/7 = 3/7
        // Q = 2(2 − 3/7)² + 4(3/7)² + (−1 − 3/7)² = 2·(11/7)² + 4·(3/7)² + (10/7)² = (242 + 36 + 100)/49 = 378/49
        // C = 7 − (4 + 16 + 1)/7 = 4; τ² = (378/49 − 2)/4 = (280/49)/4 = 10/7
        Pooled p = PooledTrials.of(List.of(new Study(2, 0.5), new Study(0, 0.25), new Study(-1, 1)));
        assertEquals(378.0 / 49, p.heterogeneityQ(), 1e-12);
        assertEquals(10.0 / 7, p.betweenVariance(), 1e-12);
        double w1 = 1 / (0.5 + 10.0 / 7);
        double w2 = 1 / (0.25 + 10.0 / 7);
        double w3 = 1 / (1 + 10.0 / 7);
        assertEquals((2 * w1 + 0 * w2 - w3) / (w1 + w2 + w3), p.mean(), 1e-12);
        assertEquals(1 / Math.sqrt(w1 + w2 + w3), p.se(), 1e-12);
        double sd = Math.sqrt(10.0 / 7 + p.se() * p.se());
        NormalDistribution z = new NormalDistribution(null, 0, 1);
        assertEquals(z.cumulativeProbability((p.mean() - 1) / sd), p.shareFirstBetterByOne(), 1e-12);
        assertEquals(z.cumulativeProbability((-1 - p.mean()) / sd), p.shareSecondBetterByOne(), 1e-12);
        assertEquals(p.mean() - 1.959964 * sd, p.predictionInterval95()[0], 1e-12);
        assertEquals(p.mean() + 1.959964 * p.se(), p.ci95()[1], 1e-12);
    }

    @Test
    void oneTrialIsItselfAndAnEmptyListIsAnError() {
        Pooled p = PooledTrials.of(List.of(new Study(1.5, 0.2)));
        assertEquals(1.5, p.mean(), 1e-12);
        assertEquals(Math.sqrt(0.2), p.se(), 1e-12);
        assertEquals(0, p.betweenVariance(), 0, "C = 0 with one study: τ² = 0");
        assertEquals(0, p.heterogeneityQ(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> PooledTrials.of(List.of()));
    }

    @Test
    void aTrialWhosePairsAgreeHasTheFlooredVariance() {
        // sd 0 over 3 pairs: v = 0.25/3, not 0 (which would make it weigh infinitely)
        assertEquals(0.25 / 3, Study.ofTrial(2, 0, 3).variance(), 1e-15);
        assertEquals(1.44 / 4, Study.ofTrial(2, 1.2, 4).variance(), 1e-15);
    }

    @Test
    void aTrialsPosteriorIsTheConjugateUpdateOfItsOwnDifferenceByTheOthers() {
        Study own = Study.ofTrial(1.8, 1.0, 3); // v = 1/3
        Pooled others = PooledTrials.of(List.of(new Study(0.8, 0.25), new Study(1.0, 0.25), new Study(1.2, 0.25)));
        TrialPosterior p = PooledTrials.posterior(own, others);
        double prior = 0 + 0.25 / 3; // τ′² + se′²
        double v = 1.0 / 3;
        // the other way round: mean = (v·μ′ + prior·d)/(v + prior), variance = v·prior/(v + prior)
        assertEquals((v * 1 + prior * 1.8) / (v + prior), p.mean(), 1e-12);
        assertEquals(Math.sqrt(v * prior / (v + prior)), p.sd(), 1e-12);
        assertEquals(3, p.priorTrials());
        NormalDistribution z = new NormalDistribution(null, 0, 1);
        assertEquals(z.cumulativeProbability(p.mean() / p.sd()), p.probabilityFirstBetter(), 1e-12);
        assertEquals(z.cumulativeProbability((p.mean() - 1) / p.sd()), p.probabilityFirstBetterByOne(), 1e-12);
        assertEquals(z.cumulativeProbability((-1 - p.mean()) / p.sd()), p.probabilitySecondBetterByOne(), 1e-12);
        assertEquals(p.mean() - 1.959964 * p.sd(), p.lower(), 1e-12);

        TrialPosterior alone = PooledTrials.posterior(own, null);
        assertEquals(1.8, alone.mean(), 1e-12);
        assertEquals(Math.sqrt(v), alone.sd(), 1e-12);
        assertEquals(0, alone.priorTrials());
    }
}
