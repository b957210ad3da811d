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

    /** Every topic the system creates at start. */
    public static final List<TopicSpec> ALL = List.of(JOURNAL);

    private Topics() {
    }

    /** A topic's name and the configs it is created with (partitions and replication come from config). */
    public record TopicSpec(String name, Map<String, String> configs) {
    }
}
