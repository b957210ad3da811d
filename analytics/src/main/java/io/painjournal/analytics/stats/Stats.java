package io.painjournal.analytics.stats;

/**
 * Sufficient statistics of a set of sessions: every field is an integer (or fixed-point) sum, so
 * adding a user's contribution and later subtracting it restores the previous value exactly, in any
 * order. Every statistic of API.md section 4 is derived from these sums by {@link Summary}.
 *
 * @param users              distinct users (each user's contribution carries 1)
 * @param sessions           sessions
 * @param sumReduction       Σ (painBefore − painAfter)
 * @param sumSquares         Σ (painBefore − painAfter)²
 * @param sumPainBefore      Σ painBefore
 * @param painfulSessions    sessions with painBefore > 0 (the base of the percent reduction)
 * @param percentNumerator   Σ 100·reduction·({@value #PERCENT_SCALE}/painBefore) over painful sessions:
 *                           exact, since every painBefore from 1 to 10 divides {@value #PERCENT_SCALE}
 * @param responders         sessions with painBefore > 0 and 10·reduction ≥ 3·painBefore
 * @param sumDuration        Σ durationMinutes
 * @param costedSessions     sessions that carried a cost ({@code costCents: 0} included)
 * @param sumCostCents       Σ costCents over those sessions
 * @param costRelief         Σ max(reduction, 0) over those sessions
 * @param followUps          sessions with a follow-up journal entry
 * @param lastingMicros      Σ lasting reduction × 10⁶ (each rounded to a millionth) over those sessions
 */
public record Stats(
        long users,
        long sessions,
        long sumReduction,
        long sumSquares,
        long sumPainBefore,
        long painfulSessions,
        long percentNumerator,
        long responders,
        long sumDuration,
        long costedSessions,
        long sumCostCents,
        long costRelief,
        long followUps,
        long lastingMicros) {

    /** 2520 = lcm(1..10): 100·r/painBefore is an exact multiple of 1/2520 for every painBefore. */
    public static final long PERCENT_SCALE = 2520;
    public static final long LASTING_SCALE = 1_000_000;

    public static final Stats ZERO = new Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** The statistics of one session (users 0: the caller sets it per contribution). */
    public static Stats ofSession(int painBefore, int painAfter, int durationMinutes, Long costCents) {
        int r = painBefore - painAfter;
        boolean painful = painBefore > 0;
        boolean costed = costCents != null;
        return new Stats(0, 1, r, (long) r * r, painBefore,
                painful ? 1 : 0,
                painful ? 100L * r * (PERCENT_SCALE / painBefore) : 0,
                painful && 10L * r >= 3L * painBefore ? 1 : 0,
                durationMinutes,
                costed ? 1 : 0,
                costed ? costCents : 0,
                costed ? Math.max(r, 0) : 0,
                0, 0);
    }

    /** A follow-up with this lasting reduction, in millionths. */
    public static Stats ofFollowUp(long lastingMicros) {
        return new Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, lastingMicros);
    }

    public Stats plus(Stats o) {
        return new Stats(users + o.users, sessions + o.sessions, sumReduction + o.sumReduction,
                sumSquares + o.sumSquares, sumPainBefore + o.sumPainBefore, painfulSessions + o.painfulSessions,
                percentNumerator + o.percentNumerator, responders + o.responders, sumDuration + o.sumDuration,
                costedSessions + o.costedSessions, sumCostCents + o.sumCostCents, costRelief + o.costRelief,
                followUps + o.followUps, lastingMicros + o.lastingMicros);
    }

    public Stats minus(Stats o) {
        return new Stats(users - o.users, sessions - o.sessions, sumReduction - o.sumReduction,
                sumSquares - o.sumSquares, sumPainBefore - o.sumPainBefore, painfulSessions - o.painfulSessions,
                percentNumerator - o.percentNumerator, responders - o.responders, sumDuration - o.sumDuration,
                costedSessions - o.costedSessions, sumCostCents - o.sumCostCents, costRelief - o.costRelief,
                followUps - o.followUps, lastingMicros - o.lastingMicros);
    }

    public Stats withUsers(long n) {
        return new Stats(n, sessions, sumReduction, sumSquares, sumPainBefore, painfulSessions, percentNumerator,
                responders, sumDuration, costedSessions, sumCostCents, costRelief, followUps, lastingMicros);
    }

    public boolean isEmpty() {
        return sessions == 0;
    }
}
