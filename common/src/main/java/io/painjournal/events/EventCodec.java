package io.painjournal.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.painjournal.catalogue.Provider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;

/**
 * The wire format of {@link JournalEvent}s on Kafka: one JSON object with a {@code type} field and
 * UTC instants in ISO-8601. Written by hand (no reflection) so the format is visible in one place and
 * stays stable when the Java records change.
 */
public final class EventCodec {

    private static final JsonFactory FACTORY = new JsonFactory();

    private EventCodec() {
    }

    public static byte[] encode(JournalEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", event.type());
            g.writeStringField("eventId", event.eventId());
            g.writeStringField("userId", event.userId());
            if (event instanceof Session s) {
                writeSession(g, s);
            } else if (event instanceof PainScore p) {
                writePainScore(g, p);
            } else if (event instanceof UserForgotten f) {
                g.writeStringField("requestedAt", f.requestedAt().toString());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeSession(JsonGenerator g, Session s) throws IOException {
        g.writeStringField("technique", s.technique());
        g.writeStringField("startedAt", s.startedAt().toString());
        g.writeNumberField("durationMinutes", s.durationMinutes());
        g.writeNumberField("painBefore", s.painBefore());
        g.writeNumberField("painAfter", s.painAfter());
        g.writeStringField("provider", s.provider().id());
        if (s.costCents() != null) {
            g.writeNumberField("costCents", s.costCents());
        }
        writeOptional(g, "currency", s.currency());
        writeOptional(g, "bodyArea", s.bodyArea());
        writeOptional(g, "intensity", s.intensity() == null ? null : s.intensity().id());
        writeOptional(g, "cohort", s.cohort());
    }

    private static void writePainScore(JsonGenerator g, PainScore p) throws IOException {
        g.writeStringField("recordedAt", p.recordedAt().toString());
        g.writeNumberField("pain", p.pain());
        writeOptional(g, "sleepQuality", p.sleepQuality());
        writeOptional(g, "stress", p.stress());
        writeOptional(g, "mood", p.mood());
        writeOptional(g, "anxiety", p.anxiety());
        if (p.headache() != null) {
            g.writeBooleanField("headache", p.headache());
        }
    }

    private static void writeOptional(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    private static void writeOptional(JsonGenerator g, String field, Integer value) throws IOException {
        if (value != null) {
            g.writeNumberField(field, value);
        }
    }

    /**
     * Reads one event. The bytes were written by {@link #encode}; anything else is a corrupt record
     * and raises {@link IllegalArgumentException} naming what is wrong. Read as a stream of tokens (no
     * tree): this runs once per event on the stream thread.
     */
    public static JournalEvent decode(byte[] bytes) {
        Fields f = new Fields();
        try (JsonParser p = FACTORY.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("journal record is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                f.read(name, p);
            }
        } catch (JsonProcessingException e) {
            // Where, not what: the parser's message quotes the record's text, which may be anyone's data,
            // and this message is logged when the record is skipped.
            throw new IllegalArgumentException("journal record is not JSON (at byte "
                    + (e.getLocation() == null ? "?" : e.getLocation().getByteOffset()) + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return f.event();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("journal record has a bad time"); // (its text is data: not logged)
        }
    }

    /** The fields of one record as they are read; {@link #event()} checks and builds. */
    private static final class Fields {
        private String type;
        private String eventId;
        private String userId;
        private String technique;
        private String startedAt;
        private String recordedAt;
        private String requestedAt;
        private String provider;
        private String currency;
        private String bodyArea;
        private String intensity;
        private String cohort;
        private int durationMinutes;
        private int painBefore;
        private int painAfter;
        private int pain;
        private Long costCents;
        private Integer sleepQuality;
        private Integer stress;
        private Integer mood;
        private Integer anxiety;
        private Boolean headache;

        void read(String name, JsonParser p) throws IOException {
            switch (name) {
                case "type" -> type = text(p);
                case "eventId" -> eventId = text(p);
                case "userId" -> userId = text(p);
                case "technique" -> technique = text(p);
                case "startedAt" -> startedAt = text(p);
                case "recordedAt" -> recordedAt = text(p);
                case "requestedAt" -> requestedAt = text(p);
                case "provider" -> provider = text(p);
                case "currency" -> currency = optionalText(p);
                case "bodyArea" -> bodyArea = optionalText(p);
                case "intensity" -> intensity = optionalText(p);
                case "cohort" -> cohort = optionalText(p);
                case "durationMinutes" -> durationMinutes = p.getValueAsInt(0);
                case "painBefore" -> painBefore = p.getValueAsInt(0);
                case "painAfter" -> painAfter = p.getValueAsInt(0);
                case "pain" -> pain = p.getValueAsInt(0);
                case "costCents" -> costCents = isNull(p) ? null : p.getValueAsLong();
                case "sleepQuality" -> sleepQuality = optionalInt(p);
                case "stress" -> stress = optionalInt(p);
                case "mood" -> mood = optionalInt(p);
                case "anxiety" -> anxiety = optionalInt(p);
                case "headache" -> headache = isNull(p) ? null : p.getValueAsBoolean();
                default -> p.skipChildren();
            }
        }

        JournalEvent event() {
            String kind = required(type, "type");
            return switch (kind) {
                case Session.TYPE -> new Session(required(eventId, "eventId"), required(userId, "userId"),
                        required(technique, "technique"), Instants.parse(required(startedAt, "startedAt")),
                        durationMinutes, painBefore, painAfter,
                        Provider.fromId(required(provider, "provider")).orElseThrow(
                                () -> new IllegalArgumentException("unknown provider in journal record")),
                        costCents, currency, bodyArea,
                        intensity == null ? null : Intensity.fromId(intensity).orElse(null), cohort);
                case PainScore.TYPE -> new PainScore(required(eventId, "eventId"), required(userId, "userId"),
                        Instants.parse(required(recordedAt, "recordedAt")), pain, sleepQuality, stress, mood,
                        anxiety, headache);
                case UserForgotten.TYPE -> new UserForgotten(required(eventId, "eventId"), required(userId, "userId"),
                        Instants.parse(required(requestedAt, "requestedAt")));
                default -> throw new IllegalArgumentException("unknown journal record type"
                        + (kind != null && kind.matches("[a-z-]{1,40}") ? " '" + kind + "'" : ""));
            };
        }

        private static String required(String value, String field) {
            if (value == null) {
                throw new IllegalArgumentException("journal record lacks '" + field + "'");
            }
            return value;
        }

        /** A string value, else null (then the field counts as missing); nested values are skipped. */
        private static String text(JsonParser p) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                return p.getText();
            }
            p.skipChildren();
            return null;
        }

        private static String optionalText(JsonParser p) throws IOException {
            if (p.currentToken().isStructStart()) {
                p.skipChildren();
                return null;
            }
            return isNull(p) ? null : p.getText();
        }

        private static Integer optionalInt(JsonParser p) throws IOException {
            if (p.currentToken().isStructStart()) {
                p.skipChildren();
                return null;
            }
            return isNull(p) ? null : p.getValueAsInt(0);
        }

        private static boolean isNull(JsonParser p) {
            return p.currentToken() == JsonToken.VALUE_NULL;
        }
    }
}
