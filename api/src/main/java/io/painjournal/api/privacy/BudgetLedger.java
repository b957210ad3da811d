package io.painjournal.api.privacy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The decisions on spends, as a pure function of the spends in order: a spend is accepted when the researcher's
 * accepted spends of the 30 days before it plus it stay within the budget the spend names; a refused spend
 * counts for nothing. Every api instance applies the same spends in the same (log) order, so they all reach the
 * same decisions without talking to each other. Not thread-safe: one reader applies the spends.
 */
public final class BudgetLedger {

    public static final Duration WINDOW = Duration.ofDays(30);
    /** Rounding of sums of epsilons: 0.1 + 0.2 may not be exactly 0.3. */
    private static final double TOLERANCE = 1e-9;

    private final Map<String, Deque<Accepted>> accepted = new HashMap<>();

    /** One request's spend, as written to the log. */
    public record Entry(String researcher, Instant at, double epsilon, double budget) {}

    public record Decision(boolean accepted, double left) {}

    private record Accepted(Instant at, double epsilon) {}

    public Decision apply(Entry e) {
        double spent = spentBefore(e.researcher(), e.at());
        if (spent + e.epsilon() <= e.budget() + TOLERANCE) {
            accepted.computeIfAbsent(e.researcher(), r -> new ArrayDeque<>())
                    .addLast(new Accepted(e.at(), e.epsilon()));
            return new Decision(true, rounded(e.budget() - spent - e.epsilon()));
        }
        return new Decision(false, rounded(e.budget() - spent));
    }

    /** What the researcher has left at {@code now} of {@code budget}. */
    public double left(String researcher, Instant now, double budget) {
        return rounded(budget - spentBefore(researcher, now));
    }

    /** What is left, to a billionth (0.4 rather than 0.39999999999999997), never below 0. */
    private static double rounded(double left) {
        return Math.max(0, Math.round(left * 1e9) / 1e9);
    }

    /** The accepted spends so far that are less than 30 days older than {@code at}; much older ones are dropped. */
    private double spentBefore(String researcher, Instant at) {
        Deque<Accepted> spends = accepted.get(researcher);
        if (spends == null) {
            return 0;
        }
        Instant from = at.minus(WINDOW);
        spends.removeIf(a -> !a.at().isAfter(from.minus(WINDOW))); // kept a window longer: clocks disagree a little
        double sum = 0;
        for (Accepted a : spends) {
            if (a.at().isAfter(from)) { // earlier in the log, whatever the clock of the instance that wrote it
                sum += a.epsilon();
            }
        }
        return sum;
    }
}
