package io.painjournal.analytics.topology;

import io.painjournal.events.EventCodec;
import io.painjournal.events.JournalEvent;
import io.painjournal.events.UserForgotten;
import io.painjournal.privacy.DataKeys;
import io.painjournal.privacy.DataKeys.DataKey;
import io.painjournal.privacy.MasterKey;
import io.painjournal.privacy.Pseudonyms;
import io.painjournal.topics.Topics;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Writes journal records as ingest does: keyed by pseudonym, sealed with the user's data key, the key
 * published on the keys topic before the user's first event, and a new key after the user's deletion.
 */
final class SealedJournal {

    final Pseudonyms pseudonyms;
    final DataKeys dataKeys;
    final TestInputTopic<String, byte[]> journal;
    final TestInputTopic<String, byte[]> keys;
    private final Map<String, DataKey> current = new HashMap<>();

    SealedJournal(TopologyTestDriver driver, MasterKey master) {
        this.pseudonyms = new Pseudonyms(master);
        this.dataKeys = new DataKeys(master);
        this.journal = driver.createInputTopic(
                Topics.JOURNAL.name(),
                Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        this.keys = driver.createInputTopic(
                Topics.KEYS_NAME,
                Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
    }

    void pipeInput(String userId, JournalEvent event) {
        journal.pipeInput(pseudonyms.of(userId), seal(event));
    }

    void pipeInput(String userId, JournalEvent event, Instant timestamp) {
        journal.pipeInput(pseudonyms.of(userId), seal(event), timestamp);
    }

    /** The record value ingest would write (publishing the user's key first if they have none). */
    byte[] seal(JournalEvent event) {
        return seal(event.userId(), EventCodec.encode(event), event instanceof UserForgotten);
    }

    byte[] seal(String userId, byte[] plaintext, boolean last) {
        String pseudonym = pseudonyms.of(userId);
        DataKey key = current.computeIfAbsent(pseudonym, p -> {
            DataKey k = dataKeys.newKey();
            keys.pipeInput(k.recordKey(p), dataKeys.wrap(k.recordKey(p), k));
            return k;
        });
        if (last) {
            current.remove(pseudonym);
        }
        return dataKeys.seal(pseudonym, key, plaintext);
    }

    /** The user's next event gets a new data key (as from a second ingest instance, or after a restart). */
    void newKey(String userId) {
        current.remove(pseudonyms.of(userId));
    }
}
