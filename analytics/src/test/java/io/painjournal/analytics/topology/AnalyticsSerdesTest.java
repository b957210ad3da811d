package io.painjournal.analytics.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.painjournal.analytics.journal.EntryFact;
import io.painjournal.analytics.journal.SessionFact;
import io.painjournal.analytics.journal.UserJournal;
import io.painjournal.analytics.stats.Stats;
import io.painjournal.json.Mappers;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class AnalyticsSerdesTest {

    private static final SessionFact SESSION = new SessionFact(
            UUID.randomUUID(),
            "tennis-ball",
            Instant.parse("2026-11-24T18:30:00.123456789Z"),
            600,
            8,
            3,
            12_345L,
            "JPY",
            "trial-ä-🙂");
    private static final SessionFact BARE = new SessionFact(
            UUID.randomUUID(), "melt", Instant.parse("1999-12-31T23:59:59Z"), 1, 0, 10, null, null, null);
    private static final EntryFact ENTRY =
            new EntryFact(UUID.randomUUID(), Instant.parse("2026-11-25T08:00:00Z"), 4, 7, null, 0, 10, true);
    private static final EntryFact BARE_ENTRY =
            new EntryFact(UUID.randomUUID(), Instant.EPOCH, 0, null, null, null, null, null);

    @Test
    void everyValueComesBackAsItWent() {
        assertEquals(SESSION, roundTrip(AnalyticsSerdes.sessions(), SESSION));
        assertEquals(BARE, roundTrip(AnalyticsSerdes.sessions(), BARE));
        assertEquals(ENTRY, roundTrip(AnalyticsSerdes.entries(), ENTRY));
        assertEquals(BARE_ENTRY, roundTrip(AnalyticsSerdes.entries(), BARE_ENTRY));
        Stats stats = new Stats(1, 2, -3, 4, 5, 6, Long.MAX_VALUE, 8, 9, 10, 11, 12, 13, Long.MIN_VALUE, 15, -16, 17);
        assertEquals(stats, roundTrip(AnalyticsSerdes.stats(), stats));
        UserJournal journal = new UserJournal(List.of(SESSION, BARE), List.of(ENTRY, BARE_ENTRY));
        UserJournal back = roundTrip(AnalyticsSerdes.journals(), journal);
        assertEquals(journal.sessions(), back.sessions());
        assertEquals(journal.entries(), back.entries());
    }

    /**
     * The state stores' Stats codec (streaming) writes exactly the bytes Jackson's databind writes and reads
     * databind's bytes back: the layout of the stores is unchanged by it (no new application id).
     */
    @Test
    void statsAreTheSameBytesAsDatabindBothWays() throws Exception {
        java.util.Random random = new java.util.Random(42);
        List<Stats> values = new java.util.ArrayList<>(List.of(
                Stats.ZERO,
                Stats.ofSession(7, 3, 20, 1500L),
                new Stats(1, 2, -3, 4, 5, 6, Long.MAX_VALUE, 8, 9, 10, 11, 12, 13, Long.MIN_VALUE, 15, -16, 17),
                new Stats(
                        -16,
                        15,
                        16,
                        -17,
                        63,
                        64,
                        -64,
                        -65,
                        8191,
                        8192,
                        -8192,
                        Integer.MAX_VALUE,
                        Integer.MIN_VALUE,
                        1L + Integer.MAX_VALUE,
                        -8193,
                        1L << 40,
                        Long.MIN_VALUE + 1)));
        for (int i = 0; i < 1000; i++) {
            long[] sums = new long[Stats.SIZE];
            for (int j = 0; j < sums.length; j++) {
                sums[j] = random.nextLong() >> random.nextInt(64);
            }
            values.add(Stats.ofSums(sums));
        }
        Serde<Stats> serde = AnalyticsSerdes.stats();
        for (Stats v : values) {
            byte[] databind = Mappers.SMILE.writerFor(Stats.class).writeValueAsBytes(v);
            byte[] streaming = serde.serializer().serialize("t", v);
            assertEquals(Arrays.toString(databind), Arrays.toString(streaming), v.toString());
            assertEquals(v, serde.deserializer().deserialize("t", databind));
            assertEquals(v, Mappers.SMILE.readerFor(Stats.class).readValue(streaming));
        }
    }

    @Test
    void statsThatAreNotExactlyTheirComponentsAreRefused() throws Exception {
        Serde<Stats> serde = AnalyticsSerdes.stats();
        byte[] good = serde.serializer().serialize("t", Stats.ofSession(7, 3, 20, null));
        com.fasterxml.jackson.databind.node.ArrayNode longer = Mappers.SMILE.valueToTree(Stats.ZERO);
        longer.add(1);
        com.fasterxml.jackson.databind.node.ArrayNode text = Mappers.SMILE.valueToTree(Stats.ZERO);
        text.set(3, "3");
        for (byte[] bad : List.of(
                new byte[0],
                new byte[] {9},
                Arrays.copyOf(good, good.length - 1),
                Mappers.SMILE.writeValueAsBytes(longer),
                Mappers.SMILE.writeValueAsBytes(text),
                Mappers.SMILE.writeValueAsBytes(java.util.Map.of("users", 1)))) {
            assertThrows(
                    SerializationException.class, () -> serde.deserializer().deserialize("t", bad));
        }
    }

    /** The components are the format, in order: a row lacking one of them is refused, never read as zero. */
    @Test
    void aRowLackingAFieldIsRefused() throws Exception {
        Stats stats = new Stats(1, 2, -3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17);
        com.fasterxml.jackson.databind.node.ArrayNode tree = Mappers.SMILE.valueToTree(stats);
        assertEquals(Stats.SIZE, tree.size(), "every component is written, in order");
        assertEquals(8, tree.get(7).asLong(), "responders, the eighth component");
        tree.remove(Stats.SIZE - 1);
        byte[] lacking = Mappers.SMILE.writeValueAsBytes(tree);
        assertThrows(
                SerializationException.class,
                () -> AnalyticsSerdes.stats().deserializer().deserialize("t", lacking));
        com.fasterxml.jackson.databind.node.ArrayNode session = Mappers.SMILE.valueToTree(SESSION);
        while (session.size() > 5) { // up to painBefore
            session.remove(session.size() - 1);
        }
        byte[] noPain = Mappers.SMILE.writeValueAsBytes(session);
        assertThrows(
                SerializationException.class,
                () -> AnalyticsSerdes.sessions().deserializer().deserialize("t", noPain));
    }

    @Test
    void corruptBytesAreASerializationErrorNotACrash() {
        byte[] good = AnalyticsSerdes.sessions().serializer().serialize("t", SESSION);
        for (byte[] bad : List.of(new byte[0], new byte[] {9}, Arrays.copyOf(good, good.length - 3))) {
            assertThrows(
                    SerializationException.class,
                    () -> AnalyticsSerdes.sessions().deserializer().deserialize("t", bad));
        }
        byte[] journal = AnalyticsSerdes.journals()
                .serializer()
                .serialize("t", new UserJournal(List.of(SESSION), List.of(ENTRY)));
        assertThrows(
                SerializationException.class,
                () -> AnalyticsSerdes.journals()
                        .deserializer()
                        .deserialize("t", Arrays.copyOf(journal, journal.length / 2)));
    }

    private static <T> T roundTrip(Serde<T> serde, T value) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", value));
    }
}
