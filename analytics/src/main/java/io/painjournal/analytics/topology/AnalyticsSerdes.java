package io.painjournal.analytics.topology;

import io.painjournal.analytics.journal.EntryFact;
import io.painjournal.analytics.journal.SessionFact;
import io.painjournal.analytics.journal.UserJournal;
import io.painjournal.analytics.stats.Stats;
import io.painjournal.events.EventCodec;
import io.painjournal.events.JournalEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Serdes of the analytics state. Stores and internal topics use a compact, versioned binary form;
 * the journal topic uses the JSON of {@link EventCodec}.
 */
public final class AnalyticsSerdes {

    private static final byte JOURNAL_V1 = 1;
    private static final byte STATS_V1 = 1;

    private AnalyticsSerdes() {
    }

    public static Serde<JournalEvent> events() {
        return Serdes.serdeFrom((topic, e) -> e == null ? null : EventCodec.encode(e),
                (topic, bytes) -> bytes == null ? null : EventCodec.decode(bytes));
    }

    public static Serde<Stats> stats() {
        return Serdes.serdeFrom((topic, s) -> s == null ? null : write(out -> writeStats(out, s)),
                (topic, bytes) -> bytes == null ? null : read(bytes, AnalyticsSerdes::readStats));
    }

    public static Serde<UserJournal> journals() {
        return Serdes.serdeFrom((topic, j) -> j == null ? null : write(out -> writeJournal(out, j)),
                (topic, bytes) -> bytes == null ? null : read(bytes, AnalyticsSerdes::readJournal));
    }

    // --- Stats --------------------------------------------------------------------------------

    private static void writeStats(DataOutputStream out, Stats s) throws IOException {
        out.writeByte(STATS_V1);
        for (long v : new long[] {s.users(), s.sessions(), s.sumReduction(), s.sumSquares(), s.sumPainBefore(),
                s.painfulSessions(), s.percentNumerator(), s.responders(), s.sumDuration(), s.costedSessions(),
                s.sumCostCents(), s.costRelief(), s.followUps(), s.lastingMicros()}) {
            out.writeLong(v);
        }
    }

    private static Stats readStats(DataInputStream in) throws IOException {
        version(in, STATS_V1, "stats");
        long[] v = new long[14];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readLong();
        }
        return new Stats(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13]);
    }

    // --- UserJournal --------------------------------------------------------------------------

    private static void writeJournal(DataOutputStream out, UserJournal j) throws IOException {
        out.writeByte(JOURNAL_V1);
        out.writeInt(j.seen().size());
        for (UUID id : j.seen()) {
            writeUuid(out, id);
        }
        out.writeInt(j.sessions().size());
        for (SessionFact s : j.sessions()) {
            writeUuid(out, s.eventId());
            out.writeUTF(s.technique());
            writeInstant(out, s.startedAt());
            out.writeShort(s.durationMinutes());
            out.writeByte(s.painBefore());
            out.writeByte(s.painAfter());
            out.writeLong(s.costCents() == null ? -1 : s.costCents());
            out.writeUTF(s.cohort() == null ? "" : s.cohort());
        }
        out.writeInt(j.entries().size());
        for (EntryFact e : j.entries()) {
            writeUuid(out, e.eventId());
            writeInstant(out, e.recordedAt());
            out.writeByte(e.pain());
            writeOptional(out, e.sleepQuality());
            writeOptional(out, e.stress());
            writeOptional(out, e.mood());
            writeOptional(out, e.anxiety());
            out.writeByte(e.headache() == null ? -1 : e.headache() ? 1 : 0);
        }
    }

    private static UserJournal readJournal(DataInputStream in) throws IOException {
        version(in, JOURNAL_V1, "journal");
        int seenCount = in.readInt();
        Set<UUID> seen = new HashSet<>(Math.max(16, seenCount * 2));
        for (int i = 0; i < seenCount; i++) {
            seen.add(readUuid(in));
        }
        int sessionCount = in.readInt();
        List<SessionFact> sessions = new ArrayList<>(sessionCount);
        for (int i = 0; i < sessionCount; i++) {
            UUID id = readUuid(in);
            String technique = in.readUTF();
            Instant startedAt = readInstant(in);
            int duration = in.readShort();
            int before = in.readByte();
            int after = in.readByte();
            long cost = in.readLong();
            String cohort = in.readUTF();
            sessions.add(new SessionFact(id, technique, startedAt, duration, before, after,
                    cost < 0 ? null : cost, cohort.isEmpty() ? null : cohort));
        }
        int entryCount = in.readInt();
        List<EntryFact> entries = new ArrayList<>(entryCount);
        for (int i = 0; i < entryCount; i++) {
            UUID id = readUuid(in);
            Instant at = readInstant(in);
            int pain = in.readByte();
            Integer sleep = readOptional(in);
            Integer stress = readOptional(in);
            Integer mood = readOptional(in);
            Integer anxiety = readOptional(in);
            byte headache = in.readByte();
            entries.add(new EntryFact(id, at, pain, sleep, stress, mood, anxiety,
                    headache < 0 ? null : headache == 1));
        }
        return UserJournal.restore(seen, sessions, entries);
    }

    // --- primitives ---------------------------------------------------------------------------

    private static void writeUuid(DataOutputStream out, UUID id) throws IOException {
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    private static UUID readUuid(DataInputStream in) throws IOException {
        return new UUID(in.readLong(), in.readLong());
    }

    private static void writeInstant(DataOutputStream out, Instant t) throws IOException {
        out.writeLong(t.getEpochSecond());
        out.writeInt(t.getNano());
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    private static void writeOptional(DataOutputStream out, Integer v) throws IOException {
        out.writeByte(v == null ? -1 : v);
    }

    private static Integer readOptional(DataInputStream in) throws IOException {
        byte b = in.readByte();
        return b < 0 ? null : (int) b;
    }

    private static void version(DataInputStream in, byte expected, String what) throws IOException {
        byte v = in.readByte();
        if (v != expected) {
            throw new IOException("unknown " + what + " format version " + v);
        }
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static byte[] write(Writer w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static <T> T read(byte[] bytes, Reader<T> r) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return r.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
