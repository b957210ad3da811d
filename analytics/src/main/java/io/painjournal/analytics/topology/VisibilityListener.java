package io.painjournal.analytics.topology;

/**
 * Told when an aggregate changed, with the Kafka timestamp of the newest event behind the change. The
 * journal topic's timestamps are set by ingest's producer when it publishes (the moment before the
 * 202), so {@code now - eventTimestamp} is how long an accepted event took to show in the answers.
 */
@FunctionalInterface
public interface VisibilityListener {

    void visible(long eventTimestamp);
}
