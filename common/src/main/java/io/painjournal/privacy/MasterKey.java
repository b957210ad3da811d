package io.painjournal.privacy;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server's master secret (256 bits): every other secret of the privacy layer is derived from it for
 * one purpose ({@link #derive}), so one file ({@code MASTER_KEY_FILE}) is all an operator keeps. Every
 * process of a deployment must hold the same one.
 */
public final class MasterKey {

    public static final int BYTES = 32;

    private final byte[] key;

    private MasterKey(byte[] key) {
        this.key = key.clone();
    }

    /** From its text form: base64 of at least {@value #BYTES} bytes (surrounding whitespace ignored). */
    public static MasterKey parse(String text) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a master key is base64 text (e.g. `openssl rand -base64 32`)");
        }
        if (bytes.length < BYTES) {
            throw new IllegalArgumentException(
                    "a master key has at least " + BYTES + " bytes (256 bits); this one has " + bytes.length);
        }
        return new MasterKey(bytes);
    }

    /** The key in a file (its text form); IllegalArgumentException when the file holds none. */
    public static MasterKey read(java.nio.file.Path file) throws java.io.IOException {
        return parse(java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** A new random key, in its text form. */
    public static String generate() {
        byte[] bytes = new byte[BYTES];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** A 256-bit secret for one purpose: HMAC-SHA256(master, purpose), so purposes never share a key. */
    public byte[] derive(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Never the key itself. */
    @Override
    public String toString() {
        return "MasterKey(" + key.length * 8 + " bits)";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MasterKey other && java.security.MessageDigest.isEqual(key, other.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(derive("hash code"));
    }
}
