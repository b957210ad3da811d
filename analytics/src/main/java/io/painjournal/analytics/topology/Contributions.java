package io.painjournal.analytics.topology;

import io.painjournal.analytics.journal.JournalKeys;
import io.painjournal.analytics.stats.Stats;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Each user's contribution to each aggregate, and this partition's share of the aggregates: a change of a
 * user's statistics changes their contribution, and the share by exactly as much (the contribution after
 * minus the one before), whatever the order in which the user's events came.
 */
final class Contributions {

    private final KeyValueStore<String, Stats> contributions;
    private final KeyValueStore<String, Stats> aggregates;
    private final VisibilityListener visibility;

    Contributions(JournalStores stores, VisibilityListener visibility) {
        this.contributions = stores.contributions();
        this.aggregates = stores.aggregates();
        this.visibility = visibility;
    }

    /**
     * Adds each change to the user's contribution to its aggregate and the contribution's delta to this
     * partition's share, telling {@code visibility} of each share that changed.
     */
    void apply(String userId, Map<String, Stats> changes, long eventTimestamp) {
        changes.forEach((aggregateKey, change) -> {
            Stats delta = changeContribution(userId, aggregateKey, change);
            if (!delta.equals(Stats.ZERO)) {
                addToAggregate(aggregateKey, delta);
                visibility.visible(eventTimestamp);
            }
        });
    }

    /** The changes that take back every contribution of the user (for a user who is forgotten). */
    Map<String, Stats> takenBack(String userId) {
        Map<String, Stats> changes = new LinkedHashMap<>();
        try (KeyValueIterator<String, Stats> it =
                contributions.range(JournalKeys.userFrom(userId), JournalKeys.userTo(userId))) {
            it.forEachRemaining(kv -> changes.put(JournalKeys.aggregateOf(kv.key), Stats.ZERO.minus(kv.value)));
        }
        return changes;
    }

    /** This partition's share of the aggregate: the sum over its users (queries add the partitions up). */
    private void addToAggregate(String aggregateKey, Stats delta) {
        Stats old = aggregates.get(aggregateKey);
        Stats sum = (old == null ? Stats.ZERO : old).plus(delta);
        if (sum.equals(Stats.ZERO)) {
            aggregates.delete(aggregateKey);
        } else {
            aggregates.put(aggregateKey, sum);
        }
    }

    /**
     * Adds {@code change} (users 0) to the user's contribution to one aggregate and returns by how much
     * the contribution changed: a contribution counts the user once while it has sessions, with the user's
     * terms of the person-level sums of the technique model ({@link Stats#asOneUser}).
     */
    private Stats changeContribution(String userId, String aggregateKey, Stats change) {
        String key = JournalKeys.contribution(userId, aggregateKey);
        Stats old = contributions.get(key);
        Stats before = old == null ? Stats.ZERO : old;
        Stats sum = before.plus(change);
        Stats after = sum.isEmpty() ? Stats.ZERO : sum.asOneUser();
        if (after.isEmpty()) {
            if (old != null) {
                contributions.delete(key);
            }
        } else {
            contributions.put(key, after);
        }
        return after.minus(before);
    }
}
