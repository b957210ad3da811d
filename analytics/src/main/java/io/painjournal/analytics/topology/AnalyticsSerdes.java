package io.painjournal.analytics.topology;

import io.painjournal.analytics.journal.EntryFact;
import io.painjournal.analytics.journal.SessionFact;
import io.painjournal.analytics.journal.UserJournal;
import io.painjournal.analytics.stats.Stats;
import io.painjournal.events.EventCodec;
import io.painjournal.events.JournalEvent;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Serdes of the analytics state. Stores and internal topics use a compact, versioned, big-endian binary
 * form written straight into an array of the exact size (no streams, no copies); the journal topic uses
 * the JSON of {@link EventCodec}.
 */
public final class AnalyticsSerdes {

    private static final byte STATS_V1 = 1;
    private static final byte SESSION_V1 = 1;
    private static final byte ENTRY_V1 = 1;
    /** The wire form of a whole journal between instances (version 1 carried the seen ids first). */
    private static final byte JOURNAL_V2 = 2;
    private static final int STATS_FIELDS = 14;
    /** An entry without its version byte: id, time, pain, four optional scores, headache. */
    private static final int ENTRY_BYTES = 16 + 12 + 1 + 4 + 1;
    private static final byte[] PRESENT = {1};

    private AnalyticsSerdes() {
    }

    public static Serde<JournalEvent> events() {
        return Serdes.serdeFrom((topic, e) -> e == null ? null : EventCodec.encode(e),
                (topic, bytes) -> bytes == null ? null : EventCodec.decode(bytes));
    }

    public static Serde<Stats> stats() {
        return Serdes.serdeFrom((topic, s) -> s == null ? null : writeStats(s),
                (topic, bytes) -> bytes == null ? null : read(bytes, "stats", AnalyticsSerdes::readStats));
    }

    public static Serde<SessionFact> sessions() {
        return Serdes.serdeFrom((topic, s) -> s == null ? null : writeSession(s),
                (topic, bytes) -> bytes == null ? null : read(bytes, "session", AnalyticsSerdes::readSession));
    }

    public static Serde<EntryFact> entries() {
        return Serdes.serdeFrom((topic, e) -> e == null ? null : writeEntry(e),
                (topic, bytes) -> bytes == null ? null : read(bytes, "entry", AnalyticsSerdes::readEntry));
    }

    /** The value of a seen-id row: its presence is the fact. */
    public static byte[] present() {
        return PRESENT.clone();
    }

    /** A whole journal, as one instance sends it to another. */
    public static Serde<UserJournal> journals() {
        return Serdes.serdeFrom((topic, j) -> j == null ? null : writeJournal(j),
                (topic, bytes) -> bytes == null ? null : read(bytes, "journal", AnalyticsSerdes::readJournal));
    }

    // --- Stats --------------------------------------------------------------------------------

    private static byte[] writeStats(Stats s) {
        ByteBuffer out = ByteBuffer.allocate(1 + 8 * STATS_FIELDS).put(STATS_V1);
        for (long v : new long[] {s.users(), s.sessions(), s.sumReduction(), s.sumSquares(), s.sumPainBefore(),
                s.painfulSessions(), s.percentNumerator(), s.responders(), s.sumDuration(), s.costedSessions(),
                s.sumCostCents(), s.costRelief(), s.followUps(), s.lastingMicros()}) {
            out.putLong(v);
        }
        return out.array();
    }

    private static Stats readStats(ByteBuffer in) {
        version(in, STATS_V1, "stats");
        return new Stats(in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong(),
                in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong(),
                in.getLong());
    }

    // --- SessionFact, EntryFact ---------------------------------------------------------------

    private static byte[] writeSession(SessionFact s) {
        ByteBuffer out = ByteBuffer.allocate(1 + sessionBytes(s)).put(SESSION_V1);
        putSession(out, s);
        return out.array();
    }

    private static SessionFact readSession(ByteBuffer in) {
        version(in, SESSION_V1, "session");
        return getSession(in);
    }

    private static byte[] writeEntry(EntryFact e) {
        ByteBuffer out = ByteBuffer.allocate(1 + ENTRY_BYTES).put(ENTRY_V1);
        putEntry(out, e);
        return out.array();
    }

    private static EntryFact readEntry(ByteBuffer in) {
        version(in, ENTRY_V1, "entry");
        return getEntry(in);
    }

    private static int sessionBytes(SessionFact s) {
        return 16 + stringBytes(s.technique()) + 12 + 2 + 1 + 1 + 8 + stringBytes(cohortOf(s));
    }

    private static String cohortOf(SessionFact s) {
        return s.cohort() == null ? "" : s.cohort();
    }

    private static void putSession(ByteBuffer out, SessionFact s) {
        putUuid(out, s.eventId());
        putString(out, s.technique());
        putInstant(out, s.startedAt());
        out.putShort((short) s.durationMinutes());
        out.put((byte) s.painBefore());
        out.put((byte) s.painAfter());
        out.putLong(s.costCents() == null ? -1 : s.costCents());
        putString(out, cohortOf(s));
    }

    private static SessionFact getSession(ByteBuffer in) {
        UUID id = getUuid(in);
        String technique = getString(in);
        Instant startedAt = getInstant(in);
        int duration = in.getShort();
        int before = in.get();
        int after = in.get();
        long cost = in.getLong();
        String cohort = getString(in);
        return new SessionFact(id, technique, startedAt, duration, before, after, cost < 0 ? null : cost,
                cohort.isEmpty() ? null : cohort);
    }

    private static void putEntry(ByteBuffer out, EntryFact e) {
        putUuid(out, e.eventId());
        putInstant(out, e.recordedAt());
        out.put((byte) e.pain());
        putOptional(out, e.sleepQuality());
        putOptional(out, e.stress());
        putOptional(out, e.mood());
        putOptional(out, e.anxiety());
        out.put((byte) (e.headache() == null ? -1 : e.headache() ? 1 : 0));
    }

    private static EntryFact getEntry(ByteBuffer in) {
        UUID id = getUuid(in);
        Instant at = getInstant(in);
        int pain = in.get();
        Integer sleep = getOptional(in);
        Integer stress = getOptional(in);
        Integer mood = getOptional(in);
        Integer anxiety = getOptional(in);
        byte headache = in.get();
        return new EntryFact(id, at, pain, sleep, stress, mood, anxiety, headache < 0 ? null : headache == 1);
    }

    // --- UserJournal (wire form) --------------------------------------------------------------

    private static byte[] writeJournal(UserJournal j) {
        int size = 1 + 4 + 4 + j.entries().size() * ENTRY_BYTES;
        for (SessionFact s : j.sessions()) {
            size += sessionBytes(s);
        }
        ByteBuffer out = ByteBuffer.allocate(size).put(JOURNAL_V2);
        out.putInt(j.sessions().size());
        j.sessions().forEach(s -> putSession(out, s));
        out.putInt(j.entries().size());
        j.entries().forEach(e -> putEntry(out, e));
        return out.array();
    }

    private static UserJournal readJournal(ByteBuffer in) {
        version(in, JOURNAL_V2, "journal");
        int sessionCount = count(in);
        List<SessionFact> sessions = new ArrayList<>(sessionCount);
        for (int i = 0; i < sessionCount; i++) {
            sessions.add(getSession(in));
        }
        int entryCount = count(in);
        List<EntryFact> entries = new ArrayList<>(entryCount);
        for (int i = 0; i < entryCount; i++) {
            entries.add(getEntry(in));
        }
        return new UserJournal(sessions, entries);
    }

    // --- primitives ---------------------------------------------------------------------------

    private static int count(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new SerializationException("corrupt journal: " + n + " items announced, " + in.remaining()
                    + " bytes left");
        }
        return n;
    }

    private static void putUuid(ByteBuffer out, UUID id) {
        out.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
    }

    private static UUID getUuid(ByteBuffer in) {
        return new UUID(in.getLong(), in.getLong());
    }

    private static void putInstant(ByteBuffer out, Instant t) {
        out.putLong(t.getEpochSecond()).putInt(t.getNano());
    }

    private static Instant getInstant(ByteBuffer in) {
        return Instant.ofEpochSecond(in.getLong(), in.getInt());
    }

    private static int stringBytes(String s) {
        return 2 + utf8Length(s);
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static void putString(ByteBuffer out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.putShort((short) bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer in) {
        int length = Short.toUnsignedInt(in.getShort());
        if (length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }

    private static void putOptional(ByteBuffer out, Integer v) {
        out.put((byte) (v == null ? -1 : v));
    }

    private static Integer getOptional(ByteBuffer in) {
        byte b = in.get();
        return b < 0 ? null : (int) b;
    }

    private static void version(ByteBuffer in, byte expected, String what) {
        byte v = in.get();
        if (v != expected) {
            throw new SerializationException("unknown " + what + " format version " + v);
        }
    }

    private interface Reader<T> {
        T read(ByteBuffer in);
    }

    private static <T> T read(byte[] bytes, String what, Reader<T> r) {
        try {
            return r.read(ByteBuffer.wrap(bytes));
        } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new SerializationException("corrupt " + what + " (" + bytes.length + " bytes)", e);
        }
    }
}
