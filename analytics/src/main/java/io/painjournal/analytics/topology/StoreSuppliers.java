package io.painjournal.analytics.topology;

import java.util.function.Supplier;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;

/** Suppliers of this package's own key-value stores, for {@code Stores.keyValueStoreBuilder}. */
final class StoreSuppliers {

    private StoreSuppliers() {}

    /** A store named {@code name}, made by {@code stores} for each task, its metrics under {@code metricsScope}. */
    static KeyValueBytesStoreSupplier of(
            String name, String metricsScope, Supplier<KeyValueStore<Bytes, byte[]>> stores) {
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return stores.get();
            }

            @Override
            public String metricsScope() {
                return metricsScope;
            }
        };
    }
}
