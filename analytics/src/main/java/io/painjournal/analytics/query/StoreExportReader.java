package io.painjournal.analytics.query;

import io.painjournal.analytics.journal.JournalKeys;
import io.painjournal.events.EventCodec;
import io.painjournal.privacy.DataKeys;
import io.painjournal.query.Results.ExportPage;
import io.painjournal.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads a page of one user's export from the {@code user-events} store of their partition: the sealed events in
 * event-time order, opened with the user's data keys (from the global keys store) and written out normalised.
 * An event whose key was destroyed (the user was forgotten meanwhile) is skipped.
 */
public final class StoreExportReader {

    private StoreExportReader() {}

    public static ExportPage page(
            ReadOnlyKeyValueStore<String, byte[]> events,
            ReadOnlyKeyValueStore<String, byte[]> keys,
            DataKeys dataKeys,
            String pseudonym,
            String after,
            int limit) {
        String from = after == null ? JournalKeys.userFrom(pseudonym) : after;
        if (!from.startsWith(JournalKeys.userFrom(pseudonym))) {
            throw new IllegalArgumentException("the cursor is not one of this user's");
        }
        List<String> lines = new ArrayList<>();
        Map<String, DataKeys.DataKey> opened = new HashMap<>();
        String last = null;
        try (KeyValueIterator<String, byte[]> it = events.range(from, JournalKeys.userTo(pseudonym))) {
            while (it.hasNext() && lines.size() < limit) {
                var kv = it.next();
                if (kv.key.equals(after)) {
                    continue;
                }
                last = kv.key;
                String recordKey = pseudonym + "|" + DataKeys.keyIdOf(kv.value);
                byte[] wrapped = keys.get(recordKey);
                if (wrapped == null || keys.get(recordKey + Topics.ERASED_SUFFIX) != null) {
                    continue;
                }
                DataKeys.DataKey key = opened.computeIfAbsent(recordKey, k -> dataKeys.unwrap(k, wrapped));
                byte[] plain = dataKeys.open(pseudonym, key, kv.value);
                lines.add(new String(EventCodec.encode(EventCodec.decode(plain)), StandardCharsets.UTF_8));
            }
            return new ExportPage(lines, lines.size() == limit && it.hasNext() ? last : null);
        }
    }
}
