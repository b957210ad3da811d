package io.painjournal.analytics.cohorts;

/**
 * Sums over the users of one study arm (or of the users of one partition in it): enough for the arm's mean,
 * sd and t-interval of the users' mean reductions and of their pain changes, and for adding partitions up.
 * Each user adds 1 to {@code users}, their mean reduction m (in [−10, 10]) to {@code sumMean} and m² to
 * {@code sumMeanSquares}; users with a pain change p (in [−10, 10]) add 1, p and p² to the {@code pain}
 * sums. {@code cappedSessions} is Σ min(sessions, days): one user's share of it is bounded, which the
 * differential-privacy release needs (see {@code docs/PRIVACY.md}).
 */
public record ArmSums(
        long users,
        long sessions,
        long cappedSessions,
        double sumMean,
        double sumMeanSquares,
        long painUsers,
        double sumPain,
        double sumPainSquares) {

    public static final ArmSums ZERO = new ArmSums(0, 0, 0, 0, 0, 0, 0, 0);

    public ArmSums plus(ArmSums o) {
        return new ArmSums(
                users + o.users,
                sessions + o.sessions,
                cappedSessions + o.cappedSessions,
                sumMean + o.sumMean,
                sumMeanSquares + o.sumMeanSquares,
                painUsers + o.painUsers,
                sumPain + o.sumPain,
                sumPainSquares + o.sumPainSquares);
    }

    /** These sums with one more user's values; {@code days} caps the user's share of {@code cappedSessions}. */
    public ArmSums plus(CohortWindow.UserValue u, int days) {
        boolean pain = u.painChange() != null;
        double p = pain ? u.painChange() : 0;
        return plus(new ArmSums(
                1,
                u.sessions(),
                Math.min(u.sessions(), days),
                u.meanReduction(),
                u.meanReduction() * u.meanReduction(),
                pain ? 1 : 0,
                p,
                p * p));
    }
}
