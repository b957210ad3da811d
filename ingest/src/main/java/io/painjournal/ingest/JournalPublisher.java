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

    /**
     * Whether {@link #publish} of this event will not wait for anything first (for Kafka: the user's data key
     * is known, and the producer has room), so it may be called on an event loop. The default: never sure.
     */
    default boolean ready(JournalEvent event) {
        return false;
    }

    /** Sends everything buffered and waits for it. */
    void flush();

    @Override
    void close();
}
