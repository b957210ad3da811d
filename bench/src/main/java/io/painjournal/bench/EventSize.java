package io.painjournal.bench;

import io.painjournal.catalogue.Provider;
import io.painjournal.events.EventCodec;
import io.painjournal.events.Session;
import java.time.Instant;
import java.util.UUID;

/**
 * Prints the size in bytes of a typical session as written to the journal topic, sealed with a data key (the raw
 * producer's record size).
 */
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
        // as the journal holds it: sealed with the user's data key (AES-GCM, key id and nonce in front)
        io.painjournal.privacy.DataKeys keys = new io.painjournal.privacy.DataKeys(
                io.painjournal.privacy.MasterKey.parse(io.painjournal.privacy.MasterKey.generate()));
        System.out.println(keys.seal("pseudonym", keys.newKey(), EventCodec.encode(session)).length);
    }
}
