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

    @Test
    void emptyCallsAreFine() {
        try (RocksDbEventLedger ledger = new RocksDbEventLedger(dir)) {
            ledger.remember(List.of());
            assertEquals(Set.of(), ledger.known(List.of()));
        }
    }
}
