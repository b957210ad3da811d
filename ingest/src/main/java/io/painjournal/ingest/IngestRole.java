package io.painjournal.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.painjournal.metrics.StateStoreMetrics;
import io.painjournal.privacy.DataKeys;
import io.painjournal.privacy.Pseudonyms;
import io.painjournal.validation.EventValidator;
import io.painjournal.web.Route;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The ingest role, assembled: its ledger, its Kafka producer, its service and its routes. */
public final class IngestRole implements AutoCloseable {

    /** {@code painjournal_ingest_in_flight}: events whose write is under way. */
    public static final String IN_FLIGHT = "painjournal.ingest.in.flight";

    private final EventLedger ledger;
    private final JournalPublisher publisher;
    private final IngestService service;
    private final IngestRoutes routes;

    private IngestRole(EventLedger ledger, JournalPublisher publisher, IngestService service, IngestRoutes routes) {
        this.ledger = ledger;
        this.publisher = publisher;
        this.service = service;
        this.routes = routes;
    }

    /**
     * @param ledgerDir where the duplicate ledger lives (one process per directory)
     * @param admission whether submissions may go ahead ({@link IngestService.Admission#OPEN}, or an
     *     {@link AnalyticsBacklog}'s refusal)
     */
    public static IngestRole start(
            Vertx vertx,
            String bootstrapServers,
            Duration deliveryTimeout,
            Path ledgerDir,
            Pseudonyms pseudonyms,
            DataKeys dataKeys,
            IngestService.Admission admission,
            MeterRegistry registry) {
        RocksDbEventLedger ledger = new RocksDbEventLedger(ledgerDir);
        StateStoreMetrics.register(registry, "ingest-ledger", ledger::estimatedKeys);
        StateStoreMetrics.registerDirectory(registry, "ingest-ledger", ledgerDir);
        JournalPublisher publisher;
        try {
            publisher = KafkaJournalPublisher.create(bootstrapServers, deliveryTimeout, pseudonyms, dataKeys, registry);
        } catch (RuntimeException e) {
            ledger.close();
            throw e;
        }
        try {
            JournalMigration.runIfNeeded(bootstrapServers, publisher, deliveryTimeout.multipliedBy(6));
        } catch (Exception e) {
            publisher.close();
            ledger.close();
            throw new IllegalStateException(
                    "could not copy the unencrypted journal of an earlier version (it is kept; the next start "
                            + "tries again): " + e.getMessage(),
                    e);
        }
        IngestService service = new IngestService(vertx, publisher, ledger, pseudonyms, admission);
        io.micrometer.core.instrument.Gauge.builder(IN_FLIGHT, service, IngestService::inFlight)
                .description("Events whose write to Kafka is under way (a re-post of one waits for its outcome)")
                .register(registry);
        return new IngestRole(
                ledger, publisher, service, new IngestRoutes(service, new EventValidator(Clock.systemUTC()), registry));
    }

    public List<Route> routes() {
        return routes.routes();
    }

    /** Sends what is buffered, records what was acknowledged, then closes Kafka and the ledger. Call after HTTP has stopped. */
    @Override
    public void close() {
        try {
            publisher.flush();
        } finally {
            service.close();
            publisher.close();
            ledger.close();
        }
    }
}
