package io.painjournal.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.painjournal.catalogue.Provider;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    private static final Instant T = Instant.parse("2026-11-20T18:30:00.123Z");

    @Test
    void everyEventRoundTrips() {
        JournalEvent[] events = {
            new Session("6f1c0a52-3a47-4a0e-9a57-8a1f0b7c2d11", "u-1", "melt", T, 10, 7, 4, Provider.PROFESSIONAL,
                    1500L, "GBP", "lower-back", Intensity.MODERATE, "arm-a"),
            new Session("6f1c0a52-3a47-4a0e-9a57-8a1f0b7c2d12", "u-1", "melt", T, 10, 7, 4, Provider.SELF,
                    null, null, null, null, null),
            new PainScore("0b4f6c7e-1d0e-4a43-8d3c-3d2b0e5f9a10", "u-1", T, 5, 6, 4, 6, 3, false),
            new PainScore("0b4f6c7e-1d0e-4a43-8d3c-3d2b0e5f9a11", "u-1", T, 5, null, null, null, null, null),
            new UserForgotten("0b4f6c7e-1d0e-4a43-8d3c-3d2b0e5f9a12", "u-1", T)};
        for (JournalEvent e : events) {
            assertEquals(e, EventCodec.decode(EventCodec.encode(e)));
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
        for (String bad : new String[] {"not json", "[1,2]", "{\"type\":\"massage\",\"eventId\":\"x\",\"userId\":\"u\"}",
                "{\"type\":\"pain-score\",\"userId\":\"u\",\"recordedAt\":\"2026-11-20T18:30:00Z\",\"pain\":3}",
                "{\"type\":\"pain-score\",\"eventId\":\"x\",\"userId\":\"u\",\"recordedAt\":\"yesterday\",\"pain\":3}",
                "{\"type\":\"pain-score\",\"eventId\":\"x\",\"userId\":{\"a\":1},\"recordedAt\":\"2026-11-20T18:30:00Z\"}",
                "{\"type\":\"session\",\"eventId\":\"x\",\"userId\":\"u\"", ""}) {
            assertThrows(IllegalArgumentException.class, () -> EventCodec.decode(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
    }
}
