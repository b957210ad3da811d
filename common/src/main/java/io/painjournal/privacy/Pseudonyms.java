package io.painjournal.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed pseudonyms of user ids: what state stores and ledgers use as keys instead of the {@code userId}
 * itself, so nothing at rest names a user. A pseudonym is HMAC-SHA256 with a secret derived from the
 * {@link MasterKey} (128 bits of it, as 22 characters of URL-safe base64: {@code [A-Za-z0-9_-]}, which
 * never holds the {@code '|'} that separates key parts). The same user always gets the same pseudonym, so
 * a stale re-post is still a duplicate after the user was erased; without the master key a pseudonym
 * cannot be linked to a user id.
 */
public final class Pseudonyms {

    static final String PURPOSE = "pain-journal pseudonyms v1";
    private static final int BYTES = 16;

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    public Pseudonyms(MasterKey master) {
        this.key = new SecretKeySpec(master.derive(PURPOSE), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The pseudonym of a user id. */
    public String of(String userId) {
        byte[] digest = macs.get().doFinal(userId.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, BYTES));
    }
}
