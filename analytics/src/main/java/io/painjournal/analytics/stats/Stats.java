package io.painjournal.analytics.stats;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Sufficient statistics of a set of sessions: every field is an integer (or fixed-point) sum, so
 * adding a user's contribution and later subtracting it restores the previous value exactly, in any
 * order. Every statistic of API.md section 4 is derived from these sums by {@link Summary}.
 * <p>The components are the one definition of the sums: a new sum is a new component (with its value
 * in {@link #ofSession} or {@link #ofFollowUp}, and its place in {@link #sums()} and {@link #ofSums});
 * the state stores and the calls between instances bind the components by name. A changed layout
 * needs a new Streams application id (see {@code AnalyticsRole.APPLICATION_ID}).
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
 * @param userSquaresWhole   Σ over users ⌊Sᵤ²/nᵤ⌋ (Sᵤ: the user's sum of reductions, nᵤ: their sessions; each
 *                           user's contribution carries its own, like {@code users})
 * @param userSquaresFraction Σ over users of the rest of Sᵤ²/nᵤ in units of 2⁻³² (rounded per user: adding and
 *                           taking a user back stays exact; B = whole + fraction·2⁻³², off by at most 2⁻³³ a user)
 * @param userSessionsSquared Σ over users nᵤ²
 */
@JsonFormat(shape = JsonFormat.Shape.ARRAY) // in stores: the values in component order, no names
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
        long lastingMicros,
        long userSquaresWhole,
        long userSquaresFraction,
        long userSessionsSquared) {

    /** 2520 = lcm(1..10): 100·r/painBefore is an exact multiple of 1/2520 for every painBefore. */
    public static final long PERCENT_SCALE = 2520;

    public static final long LASTING_SCALE = 1_000_000;

    /** 2³²: the unit of {@link #userSquaresFraction}. */
    public static final double FRACTION_SCALE = 4_294_967_296.0;

    /** How many sums a Stats has: its components. */
    public static final int SIZE = Stats.class.getRecordComponents().length;

    public static final Stats ZERO = ofSums(new long[SIZE]);

    /** The statistics of one session (users 0: the caller sets it per contribution). */
    public static Stats ofSession(int painBefore, int painAfter, int durationMinutes, Long costCents) {
        int r = painBefore - painAfter;
        boolean painful = painBefore > 0;
        boolean costed = costCents != null;
        return new Stats(
                0,
                1,
                r,
                (long) r * r,
                painBefore,
                painful ? 1 : 0,
                painful ? 100L * r * (PERCENT_SCALE / painBefore) : 0,
                painful && 10L * r >= 3L * painBefore ? 1 : 0,
                durationMinutes,
                costed ? 1 : 0,
                costed ? costCents : 0,
                costed ? Math.max(r, 0) : 0,
                0,
                0,
                0,
                0,
                0);
    }

    /** A follow-up with this lasting reduction, in millionths. */
    public static Stats ofFollowUp(long lastingMicros) {
        long[] v = new long[SIZE];
        v[12] = 1;
        v[13] = lastingMicros;
        return ofSums(v);
    }

    public Stats plus(Stats o) {
        long[] a = sums();
        long[] b = o.sums();
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
        return ofSums(a);
    }

    public Stats minus(Stats o) {
        long[] a = sums();
        long[] b = o.sums();
        for (int i = 0; i < a.length; i++) {
            a[i] -= b[i];
        }
        return ofSums(a);
    }

    public Stats withUsers(long n) {
        long[] a = sums();
        a[0] = n;
        return ofSums(a);
    }

    /**
     * These sums as one user's contribution: users 1, and the user's terms of the person-level sums
     * (Sᵤ²/nᵤ and nᵤ², from this contribution's sessions and sum of reductions). A contribution without
     * sessions has none.
     */
    public Stats asOneUser() {
        long[] a = sums();
        a[0] = 1;
        if (sessions == 0) {
            a[14] = 0;
            a[15] = 0;
            a[16] = 0;
        } else {
            long square = sumReduction * sumReduction;
            a[14] = square / sessions;
            // the rest, (S² mod n)/n < 1, to the nearest 2⁻³²: (rest·2³² + n/2) / n; rest < n < 2³¹, so it fits
            a[15] = ((square % sessions << 32) + sessions / 2) / sessions;
            a[16] = sessions * sessions;
        }
        return ofSums(a);
    }

    /** B = Σ over users Sᵤ²/nᵤ (to within 2⁻³³ a user). */
    public double sumUserSquares() {
        return userSquaresWhole + userSquaresFraction / FRACTION_SCALE;
    }

    /**
     * The sums in component order. With {@link #ofSums} the only other place the components are listed:
     * the arithmetic above works on these arrays, and the codecs (Jackson's, and the state stores' streaming
     * one in {@code AnalyticsSerdes}) follow the components.
     */
    public long[] sums() {
        return new long[] {
            users,
            sessions,
            sumReduction,
            sumSquares,
            sumPainBefore,
            painfulSessions,
            percentNumerator,
            responders,
            sumDuration,
            costedSessions,
            sumCostCents,
            costRelief,
            followUps,
            lastingMicros,
            userSquaresWhole,
            userSquaresFraction,
            userSessionsSquared
        };
    }

    public static Stats ofSums(long[] v) {
        return new Stats(
                v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15],
                v[16]);
    }

    @JsonIgnore
    public boolean isEmpty() {
        return sessions == 0;
    }
}
