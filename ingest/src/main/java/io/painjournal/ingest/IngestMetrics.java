package io.painjournal.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.painjournal.events.JournalEvent;
import io.painjournal.events.PainScore;
import io.painjournal.events.Session;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What ingest did with the events posted to it:
 * <ul>
 *   <li>{@code painjournal_ingest_events_total{type, outcome, reason}}: outcome {@code accepted},
 *       {@code duplicate} or {@code rejected}; reason says why an event was rejected ({@code none} otherwise);</li>
 *   <li>{@code painjournal_ingest_sessions_total{technique}}: accepted sessions per technique.</li>
 * </ul>
 * Every tag takes a value from a small fixed set (never a user id or anything a client typed), so
 * the number of series stays bounded whatever is posted.
 */
final class IngestMetrics {

    static final String EVENTS = "painjournal.ingest.events";
    static final String SESSIONS = "painjournal.ingest.sessions";

    /** Why an event was rejected. */
    enum Reason {
        /** The body is not JSON, or not the JSON shape the endpoint takes. */
        MALFORMED,
        /** A field is missing or out of range (the problem+json lists which). */
        INVALID,
        /** The event is for another user than the token's. */
        NOT_YOURS;

        final String tag = name().toLowerCase();
    }

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** {@code type} is the event type the item claimed, or {@code unknown} when it named none we take. */
    void rejected(String type, Reason reason, int count) {
        if (count > 0) {
            events(knownType(type), "rejected", reason.tag).increment(count);
        }
    }

    void outcome(JournalEvent event, IngestService.Outcome outcome) {
        events(event.type(), outcome == IngestService.Outcome.ACCEPTED ? "accepted" : "duplicate", "none")
                .increment();
        if (outcome == IngestService.Outcome.ACCEPTED && event instanceof Session session) {
            counters.computeIfAbsent(
                            "technique/" + session.technique(),
                            k -> Counter.builder(SESSIONS)
                                    .tag("technique", session.technique())
                                    .description("Sessions accepted, by technique")
                                    .register(registry))
                    .increment();
        }
    }

    private Counter events(String type, String outcome, String reason) {
        return counters.computeIfAbsent(
                type + "/" + outcome + "/" + reason,
                k -> Counter.builder(EVENTS)
                        .tag("type", type)
                        .tag("outcome", outcome)
                        .tag("reason", reason)
                        .description("Events posted to ingest, by type, outcome and reason for rejection")
                        .register(registry));
    }

    static String knownType(String type) {
        return Session.TYPE.equals(type) || PainScore.TYPE.equals(type) ? type : "unknown";
    }
}
