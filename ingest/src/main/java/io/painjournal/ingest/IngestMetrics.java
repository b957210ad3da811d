package io.painjournal.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.painjournal.events.JournalEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Counters of what ingest did with events: {@code painjournal_ingest_events_total{type,outcome}}. */
final class IngestMetrics {

    private static final String NAME = "painjournal.ingest.events";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Counter rejected;

    IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.rejected = Counter.builder(NAME).tag("type", "any").tag("outcome", "rejected")
                .description("Events posted to ingest, by type and outcome").register(registry);
    }

    void rejected(int count) {
        rejected.increment(count);
    }

    void outcome(JournalEvent event, IngestService.Outcome outcome) {
        String outcomeName = outcome == IngestService.Outcome.ACCEPTED ? "accepted" : "duplicate";
        counters.computeIfAbsent(event.type() + "/" + outcomeName, k -> Counter.builder(NAME)
                .tag("type", event.type()).tag("outcome", outcomeName)
                .description("Events posted to ingest, by type and outcome").register(registry)).increment();
    }
}
