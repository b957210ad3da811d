package io.painjournal.analytics.stats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/**
 * Does the personal posterior mean what it says? A seeded population: for each technique, every user's
 * true effect θᵤ drawn from N(μ, τ²); each session starts at an integer pain of 5 to 9 and ends at the
 * integer 0–10 nearest to (before − θᵤ − ε), ε ~ N(0, σ²), as a companion app records it. A user's
 * truth is the expected reduction of their recorded sessions (computed exactly over the rounding and the
 * 0–10 bounds). The model is fitted from the population's sums, as the stream keeps them, and each user's
 * posterior is checked against their truth: how often the 95 % credible interval holds it, and how far the
 * posterior mean is from it, beside the user's own mean and the former rule (three sessions at μ).
 * <p>The table it prints is the one in docs/STATISTICS.md.
 */
class CalibrationSimulationTest {

    /** A technique of the simulation: mean effect, between-person sd, within-person sd. */
    record Truth(String technique, double mu, double tau, double sigma) {}

    static final List<Truth> TECHNIQUES = List.of(
            new Truth("shiatsu (people differ a lot)", 2.0, 1.3, 1.3),
            new Truth("melt", 2.3, 0.7, 1.4),
            new Truth("hot-bath (people differ little)", 1.5, 0.25, 1.5));

    static final int USERS = 3000;
    static final int MOST_SESSIONS = 10;
    static final NormalDistribution STANDARD = new NormalDistribution(null, 0, 1);

    record User(int sessions, long sum, double truth) {}

    /** Buckets of sessions per user, as the table shows them. */
    static final int[][] BUCKETS = {{1, 1}, {2, 2}, {3, 3}, {4, 6}, {7, 10}, {1, 10}};

    @Test
    void credibleIntervalsCoverTheTruthAndThePosteriorMeanBeatsTheOwnMeanAndTheOldRule() {
        Random random = new Random(20261208);
        StringBuilder table = new StringBuilder(
                "| technique | sessions per user | users | coverage of 95 % intervals | RMSE posterior mean | RMSE own mean | RMSE three-session rule |\n"
                        + "|---|---|---|---|---|---|---|\n");
        for (Truth t : TECHNIQUES) {
            List<User> users = new ArrayList<>();
            Stats population = Stats.ZERO;
            for (int u = 0; u < USERS; u++) {
                double theta = t.mu() + t.tau() * random.nextGaussian();
                int n = 1 + random.nextInt(MOST_SESSIONS);
                Stats own = Stats.ZERO;
                for (int i = 0; i < n; i++) {
                    int before = 5 + random.nextInt(5);
                    int after = (int) Math.max(
                            0, Math.min(10, Math.round(before - theta - t.sigma() * random.nextGaussian())));
                    own = own.plus(Stats.ofSession(before, after, 10, null));
                }
                population = population.plus(own.asOneUser());
                users.add(new User(n, own.sumReduction(), expectedReduction(theta, t.sigma())));
            }
            TechniqueModel model = TechniqueModel.of(population, 5);
            for (int[] bucket : BUCKETS) {
                int count = 0;
                int covered = 0;
                double posteriorError = 0;
                double ownError = 0;
                double ruleError = 0;
                for (User u : users) {
                    if (u.sessions() < bucket[0] || u.sessions() > bucket[1]) {
                        continue;
                    }
                    Posterior p = Posterior.of(model, u.sessions(), u.sum());
                    count++;
                    if (p.lower() <= u.truth() && u.truth() <= p.upper()) {
                        covered++;
                    }
                    posteriorError += square(p.mean() - u.truth());
                    ownError += square((double) u.sum() / u.sessions() - u.truth());
                    ruleError += square((u.sum() + 3 * model.mean()) / (u.sessions() + 3) - u.truth());
                }
                double coverage = (double) covered / count;
                double rmsePosterior = Math.sqrt(posteriorError / count);
                double rmseOwn = Math.sqrt(ownError / count);
                double rmseRule = Math.sqrt(ruleError / count);
                String sessions = bucket[0] == bucket[1] ? "" + bucket[0] : bucket[0] + "–" + bucket[1];
                table.append(String.format(
                        "| %s | %s | %d | %.3f | %.3f | %.3f | %.3f |%n",
                        t.technique(),
                        bucket[0] == 1 && bucket[1] == MOST_SESSIONS ? "all" : sessions,
                        count,
                        coverage,
                        rmsePosterior,
                        rmseOwn,
                        rmseRule));
                if (bucket[0] == 1 && bucket[1] == MOST_SESSIONS) {
                    assertTrue(coverage >= 0.92 && coverage <= 0.98, t + ": coverage " + coverage);
                }
                if (bucket[1] <= 3 || bucket[1] == MOST_SESSIONS) {
                    assertTrue(rmsePosterior < rmseOwn, t + " " + sessions + ": below the own mean");
                    assertTrue(rmsePosterior < rmseRule, t + " " + sessions + ": below the three-session rule");
                }
            }
            table.append(String.format(
                    "| %s: fitted | μ %.2f (true %.2f), τ %.2f (true %.2f), σ %.2f (true %.2f) | | | | | |%n",
                    t.technique(), model.mean(), t.mu(), model.betweenSd(), t.tau(), model.withinSd(), t.sigma()));
        }
        System.out.println(table);
    }

    /**
     * The expected recorded reduction of a user with effect θ: the mean over the starting pains 5–9 of
     * before − E[after], after = the integer 0–10 nearest to before − θ − ε.
     */
    static double expectedReduction(double theta, double sigma) {
        double total = 0;
        for (int before = 5; before <= 9; before++) {
            double centre = before - theta;
            double after = 0;
            for (int a = 1; a <= 10; a++) {
                // P(after ≥ a) = P(before − θ − ε ≥ a − ½)
                after += STANDARD.cumulativeProbability((centre - (a - 0.5)) / sigma);
            }
            total += before - after;
        }
        return total / 5;
    }

    private static double square(double x) {
        return x * x;
    }
}
