package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker's ports: chosen once, kept in DATA_DIR, and a clear error when one is taken. */
class EmbeddedKafkaPortsTest {

    @Test
    void portsAreChosenOnceAndKept(@TempDir Path dir) throws Exception {
        EmbeddedKafka.Ports first = EmbeddedKafka.Ports.keptOrNew(dir);
        assertTrue(Files.exists(dir.resolve(EmbeddedKafka.PORTS_FILE)));
        assertNotEquals(first.broker(), first.controller());
        assertEquals(first, EmbeddedKafka.Ports.keptOrNew(dir), "the same ports at the next start");
        assertEquals(first, EmbeddedKafka.Ports.keptOrNew(dir, first.broker(), java.util.Set.of()));
        IOException other =
                assertThrows(IOException.class, () -> EmbeddedKafka.Ports.keptOrNew(dir, 1, java.util.Set.of()));
        assertTrue(other.getMessage().contains("keeps client port " + first.broker()), other.getMessage());
    }

    @Test
    void aKeptPortTakenByAnotherProcessIsAClearError(@TempDir Path dir) throws Exception {
        EmbeddedKafka.Ports kept = EmbeddedKafka.Ports.keptOrNew(dir);
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), kept.broker()));
            IOException e = assertThrows(IOException.class, () -> EmbeddedKafka.Ports.keptOrNew(dir));
            assertTrue(
                    e.getMessage().contains("127.0.0.1:" + kept.broker())
                            && e.getMessage().contains("in use")
                            && e.getMessage().contains(EmbeddedKafka.PORTS_FILE),
                    e.getMessage());
        }
        assertEquals(kept, EmbeddedKafka.Ports.keptOrNew(dir), "free again: the same ports");
    }

    @Test
    void aDamagedPortsFileIsAClearError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(EmbeddedKafka.PORTS_FILE), "broker.port=x\n");
        IOException e = assertThrows(IOException.class, () -> EmbeddedKafka.Ports.keptOrNew(dir));
        assertTrue(e.getMessage().contains("broker.port and controller.port"), e.getMessage());
    }

    /**
     * A free port the system hands out may be the HTTP port the caller chose a moment ago, or the broker's
     * own, just released (JarIT once had its HTTP requests reach the broker): those are skipped.
     */
    @Test
    void aTakenPortIsNeverChosen() throws IOException {
        java.util.Iterator<Integer> offered =
                java.util.List.of(4100, 4100, 4200, 4300).iterator();
        assertEquals(4200, EmbeddedKafka.freePortOtherThan(java.util.Set.of(4100), offered::next));
        assertEquals(4300, EmbeddedKafka.freePortOtherThan(java.util.Set.of(4100), offered::next));
        assertThrows(
                IOException.class,
                () -> EmbeddedKafka.freePortOtherThan(java.util.Set.of(4100), () -> 4100),
                "a source that offers only taken ports is an error, not a loop");
    }
}
