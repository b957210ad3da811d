package io.painjournal.analytics.trials;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.painjournal.analytics.trials.PooledTrials.Pooled;
import io.painjournal.analytics.trials.PooledTrials.Study;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Do pooled trials mean what they say? Seeded populations of personal trials: each person's true difference
 * θᵢ ~ N(μ, τ²); their trial has 2 to 6 complete pairs, each pair's difference the mean reduction of 1 to 3
 * integer-scored sessions of one technique minus the same of the other (so sds of 0 happen, and the 0.25 floor
 * with them). Over 2,000 pooled analyses per row: how often the 95 % interval of the mean difference holds μ,
 * and the prediction interval a new person's θ. The table it prints is in docs/STATISTICS.md: about 95 % from
 * 20 trials on; fewer trials cover less (0.88 at 5), DerSimonian–Laird's known weakness with small trials.
 */
class PooledTrialsSimulationTest {

    static final double MU = 0.8;
    static final double TAU = 0.7;
    static final double SIGMA = 1.2;
    static final int RUNS = 2000;

    @Test
    void theIntervalOfTheMeanDifferenceHoldsTheTruthAboutNinetyFivePercentOfTheTime() {
        Random random = new Random(35);
        StringBuilder table = new StringBuilder(
                "| trials pooled | analyses | coverage of `ci95` (μ) | coverage of `predictionInterval95` (a new θ) | mean τ estimate (true 0.70) |\n"
                        + "|---|---|---|---|---|\n");
        java.util.Map<Integer, Double> coverages = new java.util.TreeMap<>();
        for (int m : new int[] {5, 10, 20, 50}) {
            int covered = 0;
            int predicted = 0;
            double tauSum = 0;
            for (int run = 0; run < RUNS; run++) {
                List<Study> studies = new ArrayList<>();
                for (int i = 0; i < m; i++) {
                    studies.add(trial(random, MU + TAU * random.nextGaussian()));
                }
                Pooled p = PooledTrials.of(studies);
                if (p.ci95()[0] <= MU && MU <= p.ci95()[1]) {
                    covered++;
                }
                double fresh = MU + TAU * random.nextGaussian();
                if (p.predictionInterval95()[0] <= fresh && fresh <= p.predictionInterval95()[1]) {
                    predicted++;
                }
                tauSum += p.betweenSd();
            }
            double coverage = (double) covered / RUNS;
            table.append(String.format(
                    "| %d | %d | %.3f | %.3f | %.2f |%n", m, RUNS, coverage, (double) predicted / RUNS, tauSum / RUNS));
            coverages.put(m, coverage);
        }
        System.out.println(table);
        // About 95 % from 20 trials on. Below, DerSimonian–Laird's normal interval is known to be too narrow
        // (it takes τ² and each trial's variance, estimated from a few pairs, as known): shown, not hidden.
        coverages.forEach((m, coverage) -> assertTrue(
                m >= 20 ? coverage >= 0.92 && coverage <= 0.98 : coverage >= 0.85 && coverage < 0.95,
                m + " trials: coverage " + coverage + "\n" + table));
    }

    /** One person's trial: 2–6 complete pairs, each the difference of two periods' integer-scored sessions. */
    static Study trial(Random random, double theta) {
        int pairs = 2 + random.nextInt(5);
        double[] d = new double[pairs];
        for (int j = 0; j < pairs; j++) {
            d[j] = period(random, theta) - period(random, 0);
        }
        double mean = 0;
        for (double x : d) {
            mean += x;
        }
        mean /= pairs;
        double ss = 0;
        for (double x : d) {
            ss += (x - mean) * (x - mean);
        }
        return Study.ofTrial(mean, Math.sqrt(ss / (pairs - 1)), pairs);
    }

    /** A period's mean reduction over 1–3 sessions: pain 8 before, the integer nearest to 8 − 3 − effect − ε after (the 0–10 bounds almost never bind). */
    static double period(Random random, double effect) {
        int sessions = 1 + random.nextInt(3);
        double sum = 0;
        for (int s = 0; s < sessions; s++) {
            long after = Math.max(0, Math.min(10, Math.round(8 - 3 - effect - SIGMA * random.nextGaussian())));
            sum += 8 - after;
        }
        return sum / sessions;
    }
}
