package io.painjournal.analytics.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The technique model of API.md section 7 on worked examples. The expected figures are worked out twice: by
 * hand below (in the comments), and by {@link #independently} from each user's mean as a study of its own
 * (DerSimonian and Laird's weights, not the sums the stream keeps).
 */
class TechniqueModelTest {

    private static final double EXACT = 1e-9;

    /** A population: each user's reductions. */
    static Stats population(List<int[]> users) {
        Stats all = Stats.ZERO;
        for (int[] reductions : users) {
            Stats user = Stats.ZERO;
            for (int r : reductions) {
                user = user.plus(Stats.ofSession(Math.max(r, 0) + 0, Math.max(r, 0) - r, 10, null));
            }
            all = all.plus(user.asOneUser());
        }
        return all;
    }

    /** μ, V, σ², τ², v from the users' reductions, computed as a meta-analysis of one study a user. */
    static double[] independently(List<int[]> users) {
        int n = 0;
        double sum = 0;
        double squares = 0;
        double within = 0; // Σ over users of Σ (r − r̄ᵤ)²
        for (int[] u : users) {
            double mean = 0;
            for (int r : u) {
                mean += r;
            }
            mean /= u.length;
            for (int r : u) {
                within += (r - mean) * (r - mean);
                sum += r;
                squares += (double) r * r;
                n++;
            }
        }
        double mu = sum / n;
        double variance = 0;
        for (int[] u : users) {
            for (int r : u) {
                variance += (r - mu) * (r - mu);
            }
        }
        variance /= n - 1;
        double sigma2 = Math.max(0.25, within / (n - users.size()));
        // each user a study: mean ȳᵤ, variance σ²/nᵤ, weight wᵤ = nᵤ/σ²
        double w = 0;
        double w2 = 0;
        double wy = 0;
        for (int[] u : users) {
            double wu = u.length / sigma2;
            w += wu;
            w2 += wu * wu;
            wy += wu * java.util.Arrays.stream(u).average().orElseThrow();
        }
        double pooled = wy / w;
        double q = 0;
        for (int[] u : users) {
            double d = java.util.Arrays.stream(u).average().orElseThrow() - pooled;
            q += u.length / sigma2 * d * d;
        }
        double c = w - w2 / w;
        double tau2 = users.size() < 2 || c == 0 ? 0 : Math.max(0, (q - (users.size() - 1)) / c);
        return new double[] {mu, variance, sigma2, tau2, tau2 + variance / n};
    }

    private static void assertModel(double[] expected, TechniqueModel m) {
        assertNotNull(m);
        assertEquals(expected[0], m.mean(), EXACT, "μ");
        assertEquals(expected[1], m.variance(), EXACT, "V");
        assertEquals(expected[2], m.withinVariance(), EXACT, "σ²");
        assertEquals(expected[3], m.betweenVariance(), EXACT, "τ²");
        assertEquals(expected[4], m.priorVariance(), EXACT, "v");
    }

    @Test
    void threeUsersWhoDiffer() {
        // u1: 2, 4 (n 2, S 6); u2: 1, 1, 4 (n 3, S 6); u3: 5, 7 (n 2, S 12)
        // N 7, U 3, S 24, R2 112, B = 36/2 + 36/3 + 144/2 = 102, Σn² = 17
        // μ = 24/7; V = (112 − 576/7)/6 = 208/42; σ² = (112 − 102)/(7 − 3) = 2.5
        // Q = (102 − 576/7)/2.5 = 138/17.5; C = (7 − 17/7)/2.5 = 32/17.5; τ² = (138/17.5 − 2)/(32/17.5) = 103/32
        List<int[]> users = List.of(new int[] {2, 4}, new int[] {1, 1, 4}, new int[] {5, 7});
        double[] byHand = {24.0 / 7, 208.0 / 42, 2.5, 103.0 / 32, 103.0 / 32 + 208.0 / 42 / 7};
        TechniqueModel m = TechniqueModel.of(population(users), 3);
        assertModel(byHand, m);
        assertModel(independently(users), m);
        assertEquals(Math.sqrt(2.5), m.withinSd(), EXACT);
        assertEquals(Math.sqrt(103.0 / 32), m.betweenSd(), EXACT);
        assertEquals(2.5 / (103.0 / 32 + 208.0 / 42 / 7), m.priorSessions(), EXACT);
    }

    @Test
    void usersWhoAgreeHaveNoBetweenPersonVariance() {
        // every user's mean is 3: Q = 0 < U − 1, so τ² = 0 and v = V/N
        List<int[]> users = List.of(new int[] {2, 4}, new int[] {3, 3, 3}, new int[] {1, 5}, new int[] {3});
        TechniqueModel m = TechniqueModel.of(population(users), 1);
        assertEquals(0, m.betweenVariance(), EXACT);
        assertModel(independently(users), m);
        assertEquals(m.variance() / 8, m.priorVariance(), EXACT);
    }

    @Test
    void theWithinPersonVarianceHasAFloorOfAQuarter() {
        // every user always gets the same relief: (R2 − B)/(N − U) = 0, floored to 0.25
        List<int[]> users = List.of(new int[] {1, 1}, new int[] {3, 3, 3}, new int[] {6, 6});
        TechniqueModel m = TechniqueModel.of(population(users), 1);
        assertEquals(0.25, m.withinVariance(), EXACT);
        assertEquals(0.5, m.withinSd(), EXACT);
        assertModel(independently(users), m);
    }

    @Test
    void noModelWithoutEnoughRepeatedSessionsOrUsers() {
        // N − U < 2: one user with a second session is not enough to know how sessions vary
        assertNull(TechniqueModel.of(population(List.of(new int[] {2, 4}, new int[] {3}, new int[] {1})), 1));
        // U < 2 with N − U ≥ 2: a model, with τ² = 0 (nobody to differ from)
        TechniqueModel one = TechniqueModel.of(population(List.of(new int[] {2, 4, 3})), 1);
        assertEquals(0, one.betweenVariance(), EXACT);
        assertEquals(1.0 / 3, one.priorVariance(), EXACT); // V = 1, N = 3
        // a suppressed item (fewer than k users) has none
        assertNull(TechniqueModel.of(population(List.of(new int[] {2, 4}, new int[] {1, 1, 4})), 3));
        // everybody identical in every session: V = 0 and τ² = 0, so v = 0: no model
        assertNull(TechniqueModel.of(population(List.of(new int[] {2, 2}, new int[] {2, 2, 2})), 1));
    }

    @Test
    void takingAUserBackRestoresTheSumsExactly() {
        Stats a = population(List.of(new int[] {2, 4}, new int[] {1, 1, 4}));
        Stats u3 = population(List.of(new int[] {5, 7, -1}));
        assertEquals(a, a.plus(u3).minus(u3));
        // 49 / 3 = 16 + 1/3: the fraction to the nearest 2⁻³²
        Stats third = population(List.of(new int[] {5, 1, 1}));
        assertEquals(16, third.userSquaresWhole());
        assertEquals(Math.round(Stats.FRACTION_SCALE / 3), third.userSquaresFraction());
        assertEquals(49.0 / 3, third.sumUserSquares(), 1e-9);
        assertEquals(9, third.userSessionsSquared());
    }
}
