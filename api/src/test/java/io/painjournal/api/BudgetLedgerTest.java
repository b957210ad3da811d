package io.painjournal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.painjournal.api.privacy.BudgetLedger;
import io.painjournal.api.privacy.BudgetLedger.Entry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The decisions on spends: exact sums, nothing spent by a refusal, a rolling window of 30 days. */
class BudgetLedgerTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    @Test
    void spendsAreAcceptedUpToTheBudgetExactlyAndARefusalSpendsNothing() {
        BudgetLedger ledger = new BudgetLedger();
        for (int i = 0; i < 9; i++) {
            assertTrue(
                    ledger.apply(new Entry("r1", T0.plusSeconds(i), 0.1, 1.0)).accepted());
        }
        BudgetLedger.Decision over = ledger.apply(new Entry("r1", T0.plusSeconds(10), 0.2, 1.0));
        assertFalse(over.accepted());
        assertEquals(0.1, over.left(), 1e-9);
        BudgetLedger.Decision last = ledger.apply(new Entry("r1", T0.plusSeconds(11), 0.1, 1.0));
        assertTrue(last.accepted(), "0.1 × 10 = 1.0 is within the budget despite rounding; the refusal took nothing");
        assertEquals(0, last.left(), 1e-9);
        assertFalse(ledger.apply(new Entry("r1", T0.plusSeconds(12), 0.01, 1.0)).accepted());
        assertTrue(
                ledger.apply(new Entry("r2", T0.plusSeconds(12), 1.0, 1.0)).accepted(),
                "each researcher has their own");
    }

    @Test
    void spendsOlderThanThirtyDaysNoLongerCount() {
        BudgetLedger ledger = new BudgetLedger();
        assertTrue(ledger.apply(new Entry("r1", T0, 1.0, 1.0)).accepted());
        Instant almost = T0.plus(Duration.ofDays(30)).minusSeconds(1);
        assertFalse(ledger.apply(new Entry("r1", almost, 0.5, 1.0)).accepted());
        assertEquals(0, ledger.left("r1", almost, 1.0), 1e-9);
        Instant after = T0.plus(Duration.ofDays(30));
        assertEquals(1.0, ledger.left("r1", after, 1.0), 1e-9);
        assertTrue(ledger.apply(new Entry("r1", after, 0.5, 1.0)).accepted());
    }

    @Test
    void theSameSpendsInTheSameOrderGetTheSameDecisionsOnEveryInstance() {
        BudgetLedger one = new BudgetLedger();
        BudgetLedger two = new BudgetLedger();
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 500; i++) {
            Entry e = new Entry("r" + random.nextInt(3), T0.plusSeconds(random.nextInt(90 * 86400)), 0.5, 5.0);
            assertEquals(one.apply(e), two.apply(e));
        }
    }
}
