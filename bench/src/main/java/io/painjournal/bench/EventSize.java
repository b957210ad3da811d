package io.painjournal.bench;

import io.painjournal.catalogue.Provider;
import io.painjournal.events.EventCodec;
import io.painjournal.events.Session;
import java.time.Instant;
import java.util.UUID;

/** Prints the size in bytes of a typical session as written to the journal topic (the raw producer's record size). */
public final class EventSize {

    private EventSize() {}

    public static void main(String[] args) {
        Session session = new Session(
                UUID.randomUUID().toString(),
                "bench-123",
                "tennis-ball",
                Instant.parse("2026-11-20T18:30:00Z"),
                25,
                7,
                4,
                Provider.SELF,
                null,
                null,
                null,
                null,
                null);
        System.out.println(EventCodec.encode(session).length);
    }
}
