package io.painjournal.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.painjournal.catalogue.Provider;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T = Instant.parse("2026-11-20T18:30:00.123Z");

    /** Every shape of event (full, bare, free, every type), by the name of its fixture file. */
    private static final Map<String, JournalEvent> FIXTURES = Map.of(
            "session-full",
                    new Session(
                            "6f1c0a52-3a47-4a0e-9a57-8a1f0b7c2d11",
                            "u-1",
                            "melt",
                            T,
                            10,
                            7,
                            4,
                            Provider.PROFESSIONAL,
                            1500L,
                            "GBP",
                            "lower-back",
                            Intensity.MODERATE,
                            "arm-a"),
            "session-minimal",
                    new Session(
                            "6f1c0a52-3a47-4a0e-9a57-8a1f0b7c2d12",
                            "u-1",
                            "tennis-ball",
                            Instant.parse("2026-11-21T07:00:00Z"),
                            15,
                            6,
                            6,
                            Provider.SELF,
                            null,
                            null,
                            null,
                            null,
                            null),
            "session-free",
                    new Session(
                            "6f1c0a52-3a47-4a0e-9a57-8a1f0b7c2d13",
                            "u-2",
                            "partner-massage",
                            T,
                            30,
                            0,
                            0,
                            Provider.PARTNER,
                            0L,
                            "EUR",
                            null,
                            Intensity.LIGHT,
                            null),
            "pain-score-full", new PainScore("0b4f6c7e-1d0e-4a43-8d3c-3d2b0e5f9a10", "u-1", T, 5, 6, 4, 6, 3, false),
            "pain-score-minimal",
                    new PainScore(
                            "0b4f6c7e-1d0e-4a43-8d3c-3d2b0e5f9a11",
                            "u-1",
                            Instant.parse("2026-11-22T08:15:30.5Z"),
                            0,
                            null,
                            null,
                            null,
                            null,
                            null),
            "user-forgotten", new UserForgotten("0b4f6c7e-1d0e-4a43-8d3c-3d2b0e5f9a12", "u-1", T));

    @Test
    void everyEventRoundTrips() {
        for (JournalEvent e : FIXTURES.values()) {
            assertEquals(e, EventCodec.decode(EventCodec.encode(e)));
        }
    }

    /** Bytes the hand-written codec of version 0.1 wrote (journal-fixtures/*.json): they decode as they did. */
    @Test
    void recordsWrittenByThePreviousCodecStillDecode() throws Exception {
        for (Map.Entry<String, JournalEvent> e : FIXTURES.entrySet()) {
            byte[] old;
            try (InputStream in = getClass().getResourceAsStream("/journal-fixtures/" + e.getKey() + ".json")) {
                old = in.readAllBytes();
            }
            assertEquals(e.getValue(), EventCodec.decode(old), e.getKey());
            assertArrayEquals(
                    old, EventCodec.encode(e.getValue()), e.getKey() + " is written as before, byte for byte");
        }
    }

    @Test
    void aMissingRequiredFieldIsAnErrorNamingItNeverAZero() {
        for (String field : List.of("painBefore", "painAfter", "durationMinutes", "startedAt", "provider")) {
            ObjectNode session = session();
            session.remove(field);
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> EventCodec.decode(session.toString().getBytes(StandardCharsets.UTF_8)),
                    field);
            assertEquals("journal record lacks '" + field + "'", e.getMessage());
        }
        ObjectNode nullPain = session().putNull("painBefore");
        assertThrows(
                IllegalArgumentException.class,
                () -> EventCodec.decode(nullPain.toString().getBytes(StandardCharsets.UTF_8)));
        ObjectNode noPain = (ObjectNode) JSON.createObjectNode()
                .put("type", "pain-score")
                .put("eventId", "0b4f6c7e-1d0e-4a43-8d3c-3d2b0e5f9a10")
                .put("userId", "u-1")
                .put("recordedAt", "2026-11-20T18:30:00Z");
        assertEquals(
                "journal record lacks 'pain'",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> EventCodec.decode(noPain.toString().getBytes(StandardCharsets.UTF_8)))
                        .getMessage());
    }

    @Test
    void errorsNeverQuoteTheRecord() {
        ObjectNode secret = session().put("startedAt", "my-secret-diary-text");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> EventCodec.decode(secret.toString().getBytes(StandardCharsets.UTF_8)));
        assertEquals("journal record has a bad time in 'startedAt'", e.getMessage());
        ObjectNode provider = session().put("provider", "my-secret-provider");
        assertFalse(assertThrows(
                        IllegalArgumentException.class,
                        () -> EventCodec.decode(provider.toString().getBytes(StandardCharsets.UTF_8)))
                .getMessage()
                .contains("secret"));
    }

    private static ObjectNode session() {
        try {
            return (ObjectNode) JSON.readTree(EventCodec.encode(new Session(
                    "6f1c0a52-3a47-4a0e-9a57-8a1f0b7c2d11",
                    "u-1",
                    "melt",
                    T,
                    10,
                    7,
                    4,
                    Provider.SELF,
                    null,
                    null,
                    null,
                    null,
                    null)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void unknownFieldsOfAnyShapeAreSkipped() {
        PainScore p = new PainScore("0b4f6c7e-1d0e-4a43-8d3c-3d2b0e5f9a10", "u-1", T, 5, null, 4, null, null, true);
        String json = new String(EventCodec.encode(p), StandardCharsets.UTF_8)
                .replace("{", "{\"extra\":{\"deep\":[1,{\"pain\":9}]},\"more\":[\"x\"],");
        assertEquals(p, EventCodec.decode(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anythingElseIsRefusedWithAReason() {
        for (String bad : new String[] {
            "not json",
            "[1,2]",
            "{\"type\":\"massage\",\"eventId\":\"x\",\"userId\":\"u\"}",
            "{\"type\":\"pain-score\",\"userId\":\"u\",\"recordedAt\":\"2026-11-20T18:30:00Z\",\"pain\":3}",
            "{\"type\":\"pain-score\",\"eventId\":\"x\",\"userId\":\"u\",\"recordedAt\":\"yesterday\",\"pain\":3}",
            "{\"type\":\"pain-score\",\"eventId\":\"x\",\"userId\":{\"a\":1},\"recordedAt\":\"2026-11-20T18:30:00Z\"}",
            "{\"type\":\"session\",\"eventId\":\"x\",\"userId\":\"u\"",
            ""
        }) {
            assertThrows(
                    IllegalArgumentException.class, () -> EventCodec.decode(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
    }
}
