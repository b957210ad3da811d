package io.painjournal.events;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.painjournal.json.Mappers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

/**
 * The wire format of {@link JournalEvent}s on Kafka: the JSON that Jackson binds to the event records
 * ({@link JournalEvent} names the types, each record its fields and which of them are required). Bytes
 * written by the hand-written codec this replaced decode unchanged ({@code EventCodecTest} reads
 * fixtures of them).
 */
public final class EventCodec {

    private static final ObjectWriter WRITER = Mappers.JSON.writerFor(JournalEvent.class);
    private static final ObjectReader READER = Mappers.JSON.readerFor(JournalEvent.class);
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z-]{1,40}");

    private EventCodec() {}

    public static byte[] encode(JournalEvent event) {
        try {
            return WRITER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads one event. Anything that is not an event as {@link #encode} writes it (not JSON, an unknown
     * type, a required field missing or of the wrong shape, a bad time) raises
     * {@link IllegalArgumentException} naming what is wrong but never quoting the record, which may be
     * anyone's data and is logged.
     */
    public static JournalEvent decode(byte[] bytes) {
        try {
            JournalEvent event = READER.readValue(bytes);
            if (event == null) {
                throw new IllegalArgumentException("journal record is empty");
            }
            return event;
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("journal record is not JSON (at byte "
                    + (e.getLocation() == null ? "?" : e.getLocation().getByteOffset()) + ")");
        } catch (InvalidTypeIdException e) {
            String type = e.getTypeId();
            throw new IllegalArgumentException(
                    type == null
                            ? "journal record lacks 'type'"
                            : "unknown journal record type"
                                    + (SAFE_NAME.matcher(type).matches() ? " '" + type + "'" : ""));
        } catch (Mappers.BadTimeException e) {
            throw new IllegalArgumentException("journal record has a bad time in " + field(e));
        } catch (MismatchedInputException e) {
            String field = field(e);
            throw new IllegalArgumentException(
                    e.getMessage() != null && e.getMessage().startsWith("Missing required")
                            ? "journal record lacks " + field
                            : field.equals("?")
                                    ? "journal record is not a JSON object"
                                    : "journal record has a bad " + field);
        } catch (ValueInstantiationException e) {
            // a required field that is null: the record's constructor refused it (its message is the field's name)
            Throwable cause = e.getCause();
            throw new IllegalArgumentException(
                    cause instanceof NullPointerException
                                    && cause.getMessage() != null
                                    && SAFE_NAME.matcher(cause.getMessage()).matches()
                            ? "journal record lacks '" + cause.getMessage() + "'"
                            : "journal record is incomplete");
        } catch (JsonMappingException e) {
            // a value its type refuses (an unknown provider)
            throw new IllegalArgumentException("journal record has a bad " + field(e)
                    + (e.getCause() instanceof IllegalArgumentException cause ? ": " + cause.getMessage() : ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The quoted name of the field an error is about, or "?" when it is about the whole record. */
    private static String field(JsonMappingException e) {
        for (int i = e.getPath().size() - 1; i >= 0; i--) {
            String name = e.getPath().get(i).getFieldName();
            if (name != null) {
                return "'" + name + "'";
            }
        }
        return "?";
    }
}
