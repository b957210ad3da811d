package io.painjournal.ingest;

import io.painjournal.events.JournalEvent;
import io.painjournal.privacy.Pseudonyms;
import java.util.List;
import java.util.Set;

/**
 * Remembers which events ingest has already had acknowledged by Kafka, so a re-post is answered
 * {@code duplicate} (also after a restart). It only shapes the HTTP answer: counting downstream is
 * exactly once on its own, whatever this ledger forgets or a second ingest instance repeats.
 * Calls block (disk); callers run them on worker threads, except {@link #surelyNew}, which never blocks.
 */
public interface EventLedger extends AutoCloseable {

    /**
     * The ledger key of an event: duplicates are recognised per user, so no user can probe another's ids;
     * the user is named by their pseudonym, so the ledger on disk names no one.
     */
    static String key(Pseudonyms pseudonyms, JournalEvent event) {
        return event instanceof io.painjournal.events.Trial t
                ? trialKey(pseudonyms, t.userId(), t.trialId())
                : pseudonyms.of(event.userId()) + "/" + event.eventId();
    }

    /** A trial's key: its own namespace, so a trialId that equals an eventId is no duplicate of it. */
    static String trialKey(Pseudonyms pseudonyms, String userId, String trialId) {
        return pseudonyms.of(userId) + "/trial/" + trialId;
    }

    /** Which of these keys are already recorded. */
    Set<String> known(List<String> keys);

    /**
     * Whether none of these keys can be recorded, decided from what is in memory only (a Bloom filter), so
     * it may be asked on an event loop. {@code true} is certain; {@code false} means "ask {@link #known}".
     * The default knows nothing in memory.
     */
    default boolean surelyNew(List<String> keys) {
        return false;
    }

    /** Records keys whose events Kafka has acknowledged. */
    void remember(List<String> keys);

    @Override
    void close();
}
