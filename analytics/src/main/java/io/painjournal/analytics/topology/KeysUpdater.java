package io.painjournal.analytics.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps the global store of data keys equal to the keys topic: a value is put, a tombstone deletes. */
final class KeysUpdater implements Processor<String, byte[], Void, Void> {

    private KeyValueStore<String, byte[]> keys;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        keys = context.getStateStore(AnalyticsTopology.KEYS_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            keys.delete(record.key());
        } else {
            keys.put(record.key(), record.value());
        }
    }
}
