package io.painjournal.ingest;

import io.painjournal.events.JournalEvent;
import java.util.concurrent.CompletableFuture;

/** Writes journal events to Kafka. */
public interface JournalPublisher extends AutoCloseable {

    /**
     * Sends one event keyed by its userId. The future completes once every in-sync replica has it
     * ({@code acks=all}), or fails with {@link PublishFailedException} when Kafka could not take it in
     * time. May block briefly (bounded by {@code max.block.ms}), so call it off the event loop.
     */
    CompletableFuture<Void> publish(JournalEvent event);

    /** Sends everything buffered and waits for it. */
    void flush();

    @Override
    void close();
}
