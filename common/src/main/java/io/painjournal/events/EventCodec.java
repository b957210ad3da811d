package io.painjournal.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.painjournal.catalogue.Provider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The wire format of {@link JournalEvent}s on Kafka: one JSON object with a {@code type} field and
 * UTC instants in ISO-8601. Written by hand (no reflection) so the format is visible in one place and
 * stays stable when the Java records change.
 */
public final class EventCodec {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

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
     * and raises {@link IllegalArgumentException} naming what is wrong.
     */
    public static JournalEvent decode(byte[] bytes) {
        JsonNode n;
        try {
            n = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("journal record is not JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("journal record is not a JSON object");
        }
        String type = text(n, "type");
        return switch (type) {
            case Session.TYPE -> new Session(
                    text(n, "eventId"), text(n, "userId"), text(n, "technique"),
                    Instant.parse(text(n, "startedAt")),
                    n.path("durationMinutes").asInt(), n.path("painBefore").asInt(), n.path("painAfter").asInt(),
                    Provider.fromId(text(n, "provider")).orElseThrow(
                            () -> new IllegalArgumentException("unknown provider in journal record")),
                    n.hasNonNull("costCents") ? n.get("costCents").asLong() : null,
                    optionalText(n, "currency"), optionalText(n, "bodyArea"),
                    n.hasNonNull("intensity") ? Intensity.fromId(n.get("intensity").asText()).orElse(null) : null,
                    optionalText(n, "cohort"));
            case PainScore.TYPE -> new PainScore(
                    text(n, "eventId"), text(n, "userId"),
                    Instant.parse(text(n, "recordedAt")),
                    n.path("pain").asInt(),
                    optionalInt(n, "sleepQuality"), optionalInt(n, "stress"),
                    optionalInt(n, "mood"), optionalInt(n, "anxiety"),
                    n.hasNonNull("headache") ? n.get("headache").asBoolean() : null);
            case UserForgotten.TYPE -> new UserForgotten(
                    text(n, "eventId"), text(n, "userId"), Instant.parse(text(n, "requestedAt")));
            default -> throw new IllegalArgumentException("unknown journal record type '" + type + "'");
        };
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("journal record lacks '" + field + "'");
        }
        return v.asText();
    }

    private static String optionalText(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private static Integer optionalInt(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asInt() : null;
    }
}
