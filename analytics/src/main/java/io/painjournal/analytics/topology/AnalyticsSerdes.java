package io.painjournal.analytics.topology;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import io.painjournal.analytics.journal.EntryFact;
import io.painjournal.analytics.journal.SessionFact;
import io.painjournal.analytics.journal.UserJournal;
import io.painjournal.analytics.stats.Stats;
import io.painjournal.events.EventCodec;
import io.painjournal.json.Mappers;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Serdes of the analytics state. Stores and the calls between instances hold Jackson's binary JSON
 * (Smile) of the records themselves ({@link Stats}, {@link SessionFact}, {@link EntryFact},
 * {@link UserJournal}): a record's components are its format. The journal topic holds {@link EventCodec} JSON sealed
 * with the users' data keys ({@code SealedRecords} opens it).
 */
public final class AnalyticsSerdes {

    private static final byte[] PRESENT = {1};

    private AnalyticsSerdes() {}

    /**
     * Stats as the same Smile bytes Jackson's databind writes for them ({@code @JsonFormat(shape = ARRAY)}: the
     * components in order, numbers as Smile's ints and longs), but through the streaming API: the stream
     * thread reads and writes up to sixteen Stats per session (contributions and aggregates), and databind's
     * reflective record access was most of that time. Same bytes, so the state layout (and the application
     * id) is unchanged; {@code AnalyticsSerdesTest} checks both directions against databind.
     */
    public static Serde<Stats> stats() {
        SmileFactory factory = (SmileFactory) Mappers.SMILE.getFactory();
        return Serdes.serdeFrom(
                (topic, value) -> {
                    if (value == null) {
                        return null;
                    }
                    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(8 + 9 * Stats.SIZE);
                    try (JsonGenerator g = factory.createGenerator(out)) {
                        g.writeStartArray();
                        for (long v : value.sums()) {
                            g.writeNumber(v);
                        }
                        g.writeEndArray();
                    } catch (IOException e) {
                        throw new SerializationException("cannot write Stats", e);
                    }
                    return out.toByteArray();
                },
                (topic, bytes) -> {
                    if (bytes == null) {
                        return null;
                    }
                    try (JsonParser p = factory.createParser(bytes)) {
                        long[] sums = new long[Stats.SIZE];
                        boolean ok = p.nextToken() == JsonToken.START_ARRAY;
                        for (int i = 0; ok && i < sums.length; i++) {
                            ok = p.nextToken() == JsonToken.VALUE_NUMBER_INT;
                            if (ok) {
                                sums[i] = p.getLongValue();
                            }
                        }
                        if (!ok || p.nextToken() != JsonToken.END_ARRAY || p.nextToken() != null) {
                            throw new SerializationException("corrupt Stats (" + bytes.length + " bytes): not an array"
                                    + " of exactly " + Stats.SIZE + " integers");
                        }
                        return Stats.ofSums(sums);
                    } catch (IOException e) {
                        throw new SerializationException("corrupt Stats (" + bytes.length + " bytes)", e);
                    }
                });
    }

    public static Serde<SessionFact> sessions() {
        return smile(SessionFact.class);
    }

    public static Serde<EntryFact> entries() {
        return smile(EntryFact.class);
    }

    /** A whole journal, as one instance sends it to another. */
    public static Serde<io.painjournal.analytics.journal.TrialFact> trials() {
        return smile(io.painjournal.analytics.journal.TrialFact.class);
    }

    public static Serde<io.painjournal.analytics.trials.CountedTrial> countedTrials() {
        return smile(io.painjournal.analytics.trials.CountedTrial.class);
    }

    public static Serde<UserJournal> journals() {
        return smile(UserJournal.class);
    }

    /** The value of a seen-id row: its presence is the fact. */
    public static byte[] present() {
        return PRESENT.clone();
    }

    /** Smile of one record type; bytes that are not one are a {@link SerializationException}. */
    static <T> Serde<T> smile(Class<T> type) {
        ObjectWriter writer = Mappers.SMILE.writerFor(type);
        ObjectReader reader = Mappers.SMILE.readerFor(type);
        String what = type.getSimpleName();
        return Serdes.serdeFrom(
                (topic, value) -> {
                    if (value == null) {
                        return null;
                    }
                    try {
                        return writer.writeValueAsBytes(value);
                    } catch (JsonProcessingException e) {
                        throw new SerializationException("cannot write " + what, e);
                    }
                },
                (topic, bytes) -> {
                    if (bytes == null) {
                        return null;
                    }
                    try {
                        T value = reader.readValue(bytes);
                        if (value == null) {
                            throw new SerializationException(
                                    "corrupt " + what + " (" + bytes.length + " bytes): empty");
                        }
                        return value;
                    } catch (IOException | IllegalArgumentException e) {
                        throw new SerializationException("corrupt " + what + " (" + bytes.length + " bytes)", e);
                    }
                });
    }
}
