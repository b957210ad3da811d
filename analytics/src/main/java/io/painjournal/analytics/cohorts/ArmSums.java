package io.painjournal.analytics.cohorts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.math.BigDecimal;

/**
 * Sums over the users of one study arm (or of the users of one partition in it): enough for the arm's mean,
 * sd and t-interval of the users' mean reductions and of their pain changes, and for adding partitions up.
 * Each user adds 1 to {@code users}, their mean reduction m (in [−10, 10]) to {@code sumMean} and m² to
 * {@code sumMeanSquares}; users with a pain change p (in [−10, 10]) add 1, p and p² to the {@code pain}
 * sums. {@code cappedSessions} is Σ min(sessions, days): one user's share of it is bounded, which the
 * differential-privacy release needs (see {@code docs/PRIVACY.md}).
 *
 * <p>The sums of m, m², p and p² are exact: each user's value (a double) is added as a {@link BigDecimal}, so
 * the sums come out the same in any order and any grouping, and read back as the double nearest the exact sum.
 * Partitions are added up in one order on one instance, but in another when two instances each add theirs and
 * the api adds the two shares; floating-point sums would differ in their last digits, and the same comparison
 * would not be answered the same by one instance and by two.
 */
public record ArmSums(
        long users,
        long sessions,
        long cappedSessions,
        BigDecimal exactSumMean,
        BigDecimal exactSumMeanSquares,
        long painUsers,
        BigDecimal exactSumPain,
        BigDecimal exactSumPainSquares) {

    public static final ArmSums ZERO = ofValues(0, 0, 0, 0, 0, 0, 0, 0);

    /** Sums given as doubles: the noisy sums of a private answer, tests. */
    public static ArmSums ofValues(
            long users,
            long sessions,
            long cappedSessions,
            double sumMean,
            double sumMeanSquares,
            long painUsers,
            double sumPain,
            double sumPainSquares) {
        return new ArmSums(
                users,
                sessions,
                cappedSessions,
                new BigDecimal(sumMean),
                new BigDecimal(sumMeanSquares),
                painUsers,
                new BigDecimal(sumPain),
                new BigDecimal(sumPainSquares));
    }

    public ArmSums plus(ArmSums o) {
        return new ArmSums(
                users + o.users,
                sessions + o.sessions,
                cappedSessions + o.cappedSessions,
                exactSumMean.add(o.exactSumMean),
                exactSumMeanSquares.add(o.exactSumMeanSquares),
                painUsers + o.painUsers,
                exactSumPain.add(o.exactSumPain),
                exactSumPainSquares.add(o.exactSumPainSquares));
    }

    /** These sums with one more user's values; {@code days} caps the user's share of {@code cappedSessions}. */
    public ArmSums plus(CohortWindow.UserValue u, int days) {
        boolean pain = u.painChange() != null;
        double p = pain ? u.painChange() : 0;
        return plus(ofValues(
                1,
                u.sessions(),
                Math.min(u.sessions(), days),
                u.meanReduction(),
                u.meanReduction() * u.meanReduction(),
                pain ? 1 : 0,
                p,
                p * p));
    }

    /** Σ m. */
    @JsonIgnore
    public double sumMean() {
        return exactSumMean.doubleValue();
    }

    /** Σ m². */
    @JsonIgnore
    public double sumMeanSquares() {
        return exactSumMeanSquares.doubleValue();
    }

    /** Σ p. */
    @JsonIgnore
    public double sumPain() {
        return exactSumPain.doubleValue();
    }

    /** Σ p². */
    @JsonIgnore
    public double sumPainSquares() {
        return exactSumPainSquares.doubleValue();
    }
}
