package io.painjournal.analytics.stats;

/**
 * The empirical-Bayes model of one technique (API.md section 7), from its population sums: people differ in
 * how much the technique helps them (between-person variance τ²), and one person's sessions vary around their
 * own effect (within-person variance σ²).
 *
 * @param mean             μ = S/N, the population mean reduction
 * @param variance         V = (R2 − S²/N)/(N − 1), the sessions' sample variance
 * @param withinVariance   σ² = max(0.25, (R2 − B)/(N − U))
 * @param betweenVariance  τ² by DerSimonian–Laird, each user a study with variance σ²/nᵤ
 * @param priorVariance    v = τ² + V/N, the variance of the prior every user's own data is pooled with
 */
public record TechniqueModel(
        double mean, double variance, double withinVariance, double betweenVariance, double priorVariance) {

    /** The floor of σ²: a quarter point squared, so that a population that happens to agree is not certain. */
    public static final double WITHIN_FLOOR = 0.25;

    /** σ, the within-person sd (after the floor). */
    public double withinSd() {
        return Math.sqrt(withinVariance);
    }

    /** τ, the between-person sd. */
    public double betweenSd() {
        return Math.sqrt(betweenVariance);
    }

    /** σ²/v: how many of a user's own sessions the population is worth. */
    public double priorSessions() {
        return withinVariance / priorVariance;
    }

    /**
     * The technique's model, or null when it has none: its population item is suppressed (fewer than
     * {@code minUsers} users), N − U &lt; 2 (nobody's sessions vary, so σ² is unknown), or v = 0.
     */
    public static TechniqueModel of(Stats s, int minUsers) {
        long n = s.sessions();
        long u = s.users();
        if (u < minUsers || u < 1 || n - u < 2) {
            return null;
        }
        double sum = s.sumReduction();
        double mean = sum / n;
        // n·R2 − S² is exact in long arithmetic: no cancellation in the variance.
        double variance = (double) (n * s.sumSquares() - s.sumReduction() * s.sumReduction()) / ((double) n * (n - 1));
        double b = s.sumUserSquares();
        double within = Math.max(WITHIN_FLOOR, (s.sumSquares() - b) / (n - u));
        double between = 0;
        double c = (n - (double) s.userSessionsSquared() / n) / within;
        if (u >= 2 && c > 0) {
            double q = (b - sum * sum / n) / within;
            between = Math.max(0, (q - (u - 1)) / c);
        }
        double prior = between + variance / n;
        return prior > 0 ? new TechniqueModel(mean, variance, within, between, prior) : null;
    }
}
