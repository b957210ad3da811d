package io.painjournal.privacy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Crypto-shredding with the JDK's AES-256-GCM. Each user has data keys (random 256-bit keys, each with a
 * random {@link DataKey#id}); an event's payload is sealed with one of them; a data key is kept only
 * wrapped by the key-encryption key derived from the {@link MasterKey}, as a record of the compacted keys
 * topic keyed {@code pseudonym|keyId}. Destroying that record (a tombstone, then compaction) makes every
 * copy of the payloads sealed with it unreadable, with any key the server holds.
 * <p>Formats (big-endian):
 * <ul>
 *   <li>a wrapped data key: {@code 0x01} (version), 12-byte nonce, ciphertext of the 32 key bytes + 16-byte
 *       tag; associated data: the record key ({@code pseudonym|keyId}), so a wrapped key cannot be moved
 *       to another user;</li>
 *   <li>a sealed payload: {@code 0xE1} (marker and version), 8-byte key id, 12-byte nonce, ciphertext + tag;
 *       associated data: the pseudonym, so a payload cannot be moved to another user either.</li>
 * </ul>
 */
public final class DataKeys {

    static final String WRAP_PURPOSE = "pain-journal key wrapping v1";
    public static final byte SEALED = (byte) 0xE1;
    private static final byte WRAPPED_V1 = 1;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;
    private static final int ID_BYTES = 8;
    private static final HexFormat HEX = HexFormat.of();

    /** One cipher per thread, initialised per call: getInstance costs more than the AES work of a record. */
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is part of every JDK", e);
        }
    });

    private final SecretKeySpec kek;
    private final SecureRandom random = new SecureRandom();

    public DataKeys(MasterKey master) {
        this.kek = new SecretKeySpec(master.derive(WRAP_PURPOSE), "AES");
    }

    /** One data key of one user: its id (16 hex digits) and its bytes. */
    public record DataKey(String id, byte[] key) {
        /** The record key of this data key on the keys topic. */
        public String recordKey(String pseudonym) {
            return pseudonym + "|" + id;
        }
    }

    /** A new random data key. */
    public DataKey newKey() {
        byte[] id = new byte[ID_BYTES];
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(id);
        random.nextBytes(key);
        return new DataKey(HEX.formatHex(id), key);
    }

    /** The data key as it is kept: wrapped by the key-encryption key, bound to its record key. */
    public byte[] wrap(String recordKey, DataKey key) {
        byte[] nonce = nonce();
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, kek, nonce, bytes(recordKey), key.key());
        return ByteBuffer.allocate(1 + NONCE + sealed.length)
                .put(WRAPPED_V1)
                .put(nonce)
                .put(sealed)
                .array();
    }

    /** The data key of a kept record; IllegalArgumentException when it is not one (or not for this key). */
    public DataKey unwrap(String recordKey, byte[] wrapped) {
        if (wrapped.length != 1 + NONCE + KEY_BYTES + TAG_BITS / 8 || wrapped[0] != WRAPPED_V1) {
            throw new IllegalArgumentException("not a wrapped data key");
        }
        ByteBuffer in = ByteBuffer.wrap(wrapped, 1, wrapped.length - 1);
        byte[] nonce = new byte[NONCE];
        in.get(nonce);
        byte[] sealed = new byte[in.remaining()];
        in.get(sealed);
        byte[] key = crypt(Cipher.DECRYPT_MODE, kek, nonce, bytes(recordKey), sealed);
        return new DataKey(recordKey.substring(recordKey.lastIndexOf('|') + 1), key);
    }

    /** A payload sealed with the user's data key. */
    public byte[] seal(String pseudonym, DataKey key, byte[] plaintext) {
        byte[] nonce = nonce();
        byte[] sealed =
                crypt(Cipher.ENCRYPT_MODE, new SecretKeySpec(key.key(), "AES"), nonce, bytes(pseudonym), plaintext);
        return ByteBuffer.allocate(1 + ID_BYTES + NONCE + sealed.length)
                .put(SEALED)
                .put(HEX.parseHex(key.id()))
                .put(nonce)
                .put(sealed)
                .array();
    }

    /** Whether these bytes are a sealed payload (else, e.g., a record of before encryption). */
    public static boolean isSealed(byte[] bytes) {
        return bytes.length > 1 + ID_BYTES + NONCE && bytes[0] == SEALED;
    }

    /** The id of the data key a sealed payload needs. */
    public static String keyIdOf(byte[] sealed) {
        return HEX.formatHex(sealed, 1, 1 + ID_BYTES);
    }

    /** The plaintext of a sealed payload; IllegalArgumentException when the key or the user do not fit. */
    public byte[] open(String pseudonym, DataKey key, byte[] sealed) {
        if (!isSealed(sealed) || !keyIdOf(sealed).equals(key.id())) {
            throw new IllegalArgumentException("not sealed with data key " + key.id());
        }
        byte[] nonce = new byte[NONCE];
        System.arraycopy(sealed, 1 + ID_BYTES, nonce, 0, NONCE);
        byte[] body = new byte[sealed.length - 1 - ID_BYTES - NONCE];
        System.arraycopy(sealed, 1 + ID_BYTES + NONCE, body, 0, body.length);
        return crypt(Cipher.DECRYPT_MODE, new SecretKeySpec(key.key(), "AES"), nonce, bytes(pseudonym), body);
    }

    private byte[] nonce() {
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        return nonce;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] crypt(int mode, SecretKeySpec key, byte[] nonce, byte[] aad, byte[] input) {
        try {
            Cipher cipher = CIPHER.get();
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad);
            return cipher.doFinal(input);
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException("the data does not open with this key (tampered, or another user's)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is part of every JDK", e);
        }
    }
}
