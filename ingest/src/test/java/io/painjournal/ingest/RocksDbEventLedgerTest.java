package io.painjournal.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbEventLedgerTest {

    @TempDir
    Path dir;

    @Test
    void remembersKeysAcrossReopening() {
        try (RocksDbEventLedger ledger = new RocksDbEventLedger(dir)) {
            assertEquals(Set.of(), ledger.known(List.of("u-1/a", "u-1/b")));
            ledger.remember(List.of("u-1/a"));
            assertEquals(Set.of("u-1/a"), ledger.known(List.of("u-1/a", "u-1/b")));
        }
        try (RocksDbEventLedger reopened = new RocksDbEventLedger(dir)) {
            assertEquals(Set.of("u-1/a"), reopened.known(List.of("u-1/a", "u-1/b", "u-2/a")));
        }
    }

    @Test
    @SuppressWarnings("try") // the open ledger is the point: it holds the directory's lock
    void aSecondProcessOnTheSameDirectoryIsToldWhy() {
        try (RocksDbEventLedger ledger = new RocksDbEventLedger(dir)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new RocksDbEventLedger(dir));
            assertTrue(e.getMessage().contains("another process"), e.getMessage());
        }
    }

    /**
     * The in-memory filter never calls a remembered key new (in the memtable, and after reopening, from the
     * files' Bloom filters), and calls most new keys new.
     */
    @Test
    void theFilterNeverCallsARememberedKeyNewAndMostNewKeysNew() {
        List<String> remembered = new java.util.ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            remembered.add("p-" + (i % 500) + "/" + java.util.UUID.randomUUID());
        }
        try (RocksDbEventLedger ledger = new RocksDbEventLedger(dir)) {
            ledger.remember(remembered);
            remembered.forEach(k -> assertTrue(!ledger.surelyNew(List.of(k)), k));
        }
        try (RocksDbEventLedger reopened = new RocksDbEventLedger(dir)) { // now in a file, behind its Bloom filter
            remembered.forEach(k -> assertTrue(!reopened.surelyNew(List.of(k)), k));
            int surelyNew = 0;
            for (int i = 0; i < 2_000; i++) {
                if (reopened.surelyNew(List.of("p-" + (i % 500) + "/" + java.util.UUID.randomUUID()))) {
                    surelyNew++;
                }
            }
            assertTrue(surelyNew >= 1_900, surelyNew + " of 2,000 new keys called new");
            assertTrue(!reopened.surelyNew(List.of("p-1/new", remembered.get(7))), "one known key among new ones");
        }
    }

    @Test
    void emptyCallsAreFine() {
        try (RocksDbEventLedger ledger = new RocksDbEventLedger(dir)) {
            ledger.remember(List.of());
            assertEquals(Set.of(), ledger.known(List.of()));
        }
    }
}
