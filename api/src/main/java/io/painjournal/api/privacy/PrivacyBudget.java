package io.painjournal.api.privacy;

import io.vertx.core.Future;

/**
 * Each researcher's differential-privacy budget: {@code RESEARCH_EPSILON_BUDGET} per rolling 30 days (API.md,
 * small groups, rule 4). Shared by every api instance and kept across restarts by the Kafka-backed
 * implementation ({@link KafkaPrivacyBudget}).
 */
public interface PrivacyBudget {

    /**
     * Spends {@code epsilon} of the researcher's budget. Fails with {@link Exhausted} when it would exceed it (then
     * nothing is spent), or with {@link io.painjournal.query.NotReadyException} when the budget cannot be reached.
     */
    Future<Spend> spend(String researcher, double epsilon);

    /** A budget kept in this process only (tests; a single instance that may forget spends on restart). */
    static PrivacyBudget inMemory(double budget, java.time.Clock clock) {
        BudgetLedger ledger = new BudgetLedger();
        return (researcher, epsilon) -> {
            BudgetLedger.Decision d;
            synchronized (ledger) {
                d = ledger.apply(new BudgetLedger.Entry(researcher, clock.instant(), epsilon, budget));
            }
            return d.accepted()
                    ? Future.succeededFuture(new Spend(epsilon, d.left()))
                    : Future.failedFuture(new Exhausted(d.left()));
        };
    }

    /** What a spend took and what is left of the budget after it (in the last 30 days). */
    record Spend(double epsilon, double left) {}

    /** The request would exceed the budget: nothing was spent. */
    final class Exhausted extends RuntimeException {
        private final double left;

        public Exhausted(double left) {
            super("the privacy budget has " + left + " left");
            this.left = left;
        }

        public double left() {
            return left;
        }
    }
}
