package io.painjournal.analytics.stats;

/**
 * The statistics of API.md section 4, derived from {@link Stats}. Values are not rounded; a value
 * that is undefined for the data (a mean of nothing, an sd of one session) is {@code null}.
 */
public final class Summary {

    /** z for a two-sided 95 % normal interval. */
    public static final double Z95 = 1.96;

    private Summary() {}

    public static double meanReduction(Stats s) {
        return (double) s.sumReduction() / s.sessions();
    }

    /** Sample standard deviation of the reduction; null below two sessions. */
    public static Double sdReduction(Stats s) {
        long n = s.sessions();
        if (n < 2) {
            return null;
        }
        // n·Σr² − (Σr)² is exact in long arithmetic, so there is no cancellation error.
        double variance = (double) (n * s.sumSquares() - s.sumReduction() * s.sumReduction()) / (n * (n - 1));
        return Math.sqrt(Math.max(0, variance));
    }

    /** mean ± 1.96·sd/√n; null below two sessions. */
    public static double[] ci95(Stats s) {
        Double sd = sdReduction(s);
        if (sd == null) {
            return null;
        }
        double mean = meanReduction(s);
        double half = Z95 * sd / Math.sqrt(s.sessions());
        return new double[] {mean - half, mean + half};
    }

    /** Mean of 100·(before − after)/before over sessions with painBefore > 0; null when there are none. */
    public static Double meanPercentReduction(Stats s) {
        return s.painfulSessions() == 0
                ? null
                : (double) s.percentNumerator() / Stats.PERCENT_SCALE / s.painfulSessions();
    }

    /** Responders among the sessions that had pain to relieve (painBefore > 0); null when none had. */
    public static Double responderRate(Stats s) {
        return s.painfulSessions() == 0 ? null : (double) s.responders() / s.painfulSessions();
    }

    public static double meanDurationMinutes(Stats s) {
        return (double) s.sumDuration() / s.sessions();
    }

    public static double meanPainBefore(Stats s) {
        return (double) s.sumPainBefore() / s.sessions();
    }

    /** Total cost ÷ total positive reduction over sessions that carried a cost; null when undefined. */
    public static Double costPerPointCents(Stats s) {
        return s.costedSessions() == 0 || s.costRelief() == 0 ? null : (double) s.sumCostCents() / s.costRelief();
    }

    public static Double meanLastingReduction(Stats s) {
        return s.followUps() == 0 ? null : (double) s.lastingMicros() / Stats.LASTING_SCALE / s.followUps();
    }
}
