package io.painjournal.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The arithmetic and the decision of the admission control on the analytics' backlog. */
class AnalyticsBacklogTest {

    static final TopicPartition P0 = new TopicPartition("journal", 0);
    static final TopicPartition P1 = new TopicPartition("journal", 1);
    static final long SECOND = 1_000_000_000L;

    @Test
    void theLagIsEndLessCommittedPerPartitionAndAPartitionNeverCommittedCountsFromZero() {
        assertEquals(30 + 7, AnalyticsBacklog.lag(Map.of(P0, 100L, P1, 7L), Map.of(P0, 70L)));
        assertEquals(70, AnalyticsBacklog.committedSum(Map.of(P0, 100L, P1, 7L), Map.of(P0, 70L)));
        assertEquals(
                70,
                AnalyticsBacklog.committedSum(Map.of(P0, 100L), Map.of(P0, 70L, new TopicPartition("other", 0), 9L)),
                "only the journal's partitions");
    }

    @Test
    void aCommitAheadOfTheEndReadIsNoNegativeLag() {
        // the end offsets are read before the committed ones, which may have moved past them meanwhile
        assertEquals(5, AnalyticsBacklog.lag(Map.of(P0, 100L, P1, 10L), Map.of(P0, 103L, P1, 5L)));
    }

    @Test
    void refusesOnlyWhileTheLagIsAboveTheLimitAndAnalyticsMakesProgress() {
        AnalyticsBacklog.Gate gate = new AnalyticsBacklog.Gate(100, 5 * SECOND);
        assertFalse(gate.refuse(500, 1_000, 0), "the first reading is no evidence that analytics counts");
        assertFalse(gate.refuse(600, 1_000, SECOND), "no progress since");
        assertTrue(gate.refuse(550, 1_050, 2 * SECOND), "it counts, and is 550 behind");
        assertTrue(gate.refuse(400, 1_050, 6 * SECOND), "no commit for 4 s: still counting (commits are batched)");
        assertFalse(gate.refuse(400, 1_050, 7 * SECOND), "no commit for 5 s: stalled, not waited for");
        assertTrue(gate.refuse(300, 1_200, 8 * SECOND), "counting again");
        assertFalse(gate.refuse(100, 1_400, 9 * SECOND), "at the limit: admitted");
        assertFalse(gate.refuse(0, 1_500, 10 * SECOND), "caught up");
    }
}
