package io.painjournal.topics;

import java.util.List;
import java.util.Map;

/**
 * The Kafka topics of the system and the settings they are created with. Names carry a schema
 * version so an incompatible change gets a new topic rather than a surprise for old consumers.
 */
public final class Topics {

    /**
     * Every journal event (sessions, pain scores, deletions), keyed by {@code userId}, value JSON
     * ({@link io.painjournal.events.EventCodec}). Kept forever: it is the system of record from which
     * every aggregate can be rebuilt.
     */
    public static final TopicSpec JOURNAL = new TopicSpec(
            "pain-journal.events.v1",
            Map.of(
                    "retention.ms", "-1",
                    "cleanup.policy", "delete",
                    // never a lagging replica as leader: it would drop acknowledged events
                    "unclean.leader.election.enable", "false",
                    "compression.type", "producer"));

    /**
     * Journal records analytics could not decode, as they were, with the reason and the source offset in
     * headers (see {@code DeadLetterHandler}). Kept 14 days: long enough to look at, not a second copy of
     * anyone's journal for good.
     */
    public static final TopicSpec DEAD_LETTERS = new TopicSpec(
            "pain-journal.events.dead-letters.v1",
            Map.of("retention.ms", Long.toString(14L * 24 * 3600 * 1000), "cleanup.policy", "delete"));

    /** Every topic the system creates at start. */
    public static final List<TopicSpec> ALL = List.of(JOURNAL, DEAD_LETTERS);

    private Topics() {}

    /** A topic's name and the configs it is created with (partitions and replication come from config). */
    public record TopicSpec(String name, Map<String, String> configs) {}
}
