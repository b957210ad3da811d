package io.painjournal.privacy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DataKeysTest {

    private final MasterKey master = MasterKey.parse(MasterKey.generate());
    private final DataKeys keys = new DataKeys(master);

    @Test
    void aPayloadOpensOnlyWithItsUsersKey() {
        DataKeys.DataKey key = keys.newKey();
        byte[] plain = "{\"bodyArea\":\"my secret words\"}".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = keys.seal("p-alice", key, plain);
        assertTrue(DataKeys.isSealed(sealed));
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("secret"), "nothing readable");
        assertEquals(key.id(), DataKeys.keyIdOf(sealed));
        assertArrayEquals(plain, keys.open("p-alice", key, sealed));
        assertThrows(IllegalArgumentException.class, () -> keys.open("p-bob", key, sealed), "bound to its user");
        assertThrows(IllegalArgumentException.class, () -> keys.open("p-alice", keys.newKey(), sealed));
        sealed[sealed.length - 1] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> keys.open("p-alice", key, sealed), "tampering shows");
        assertFalse(DataKeys.isSealed(plain), "a record of before encryption is told apart");
    }

    @Test
    void aDataKeyIsKeptOnlyWrappedAndBoundToItsRecord() {
        DataKeys.DataKey key = keys.newKey();
        String record = key.recordKey("p-alice");
        byte[] wrapped = keys.wrap(record, key);
        DataKeys.DataKey back = keys.unwrap(record, wrapped);
        assertEquals(key.id(), back.id());
        assertArrayEquals(key.key(), back.key());
        assertThrows(IllegalArgumentException.class, () -> keys.unwrap("p-bob|" + key.id(), wrapped));
        assertThrows(
                IllegalArgumentException.class,
                () -> new DataKeys(MasterKey.parse(MasterKey.generate())).unwrap(record, wrapped),
                "another master key opens nothing");
    }
}
