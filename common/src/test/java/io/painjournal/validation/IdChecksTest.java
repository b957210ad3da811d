package io.painjournal.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The written-out id checks of {@link EventValidator} accept exactly what their patterns say: near misses
 * of every kind (each character mutated, lengths around the limits, other alphabets) and random strings.
 */
class IdChecksTest {

    private static final String ALPHABET = "0123456789abcdefABCDEFgzGZ-_. /\\:@é\u0000\u00e4\u2028\n\t";

    private static String mutate(String s, SplittableRandom random) {
        StringBuilder b = new StringBuilder(s);
        switch (random.nextInt(4)) {
            case 0 -> b.setCharAt(random.nextInt(b.length()), ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            case 1 -> b.insert(random.nextInt(b.length() + 1), ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            case 2 -> b.deleteCharAt(random.nextInt(b.length()));
            default -> b.append(s, 0, random.nextInt(Math.min(s.length(), 40) + 1));
        }
        return b.toString();
    }

    private static String randomText(SplittableRandom random, int maxLength) {
        StringBuilder b = new StringBuilder();
        for (int n = random.nextInt(maxLength + 1); n > 0; n--) {
            b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    @Test
    void isUuidAcceptsWhatItsPatternAccepts() {
        SplittableRandom random = new SplittableRandom(7);
        int accepted = 0;
        for (int i = 0; i < 200_000; i++) {
            String uuid = UUID.randomUUID().toString();
            String s = switch (i % 4) {
                case 0 -> random.nextBoolean() ? uuid : uuid.toUpperCase();
                case 1, 2 -> mutate(uuid, random);
                default -> randomText(random, 40);
            };
            boolean expected = Ids.UUID_PATTERN.matcher(s).matches();
            assertEquals(expected, EventValidator.isUuid(s), s);
            accepted += expected ? 1 : 0;
        }
        assertEquals(false, EventValidator.isUuid(null));
        // both kinds occur often, so the comparison says something about each
        assertEquals(true, accepted > 50_000 && accepted < 150_000, "accepted " + accepted);
    }

    @Test
    void isValidUserIdAcceptsWhatItsPatternAccepts() {
        SplittableRandom random = new SplittableRandom(11);
        int accepted = 0;
        for (int i = 0; i < 200_000; i++) {
            String base = "user." + "x".repeat(random.nextInt(62)) + "_Z-9";
            String s = switch (i % 3) {
                case 0 -> base.substring(0, 1 + random.nextInt(Math.min(base.length(), 66)) % base.length());
                case 1 -> mutate(base, random);
                default -> randomText(random, 70);
            };
            boolean expected = Ids.USER_ID_PATTERN.matcher(s).matches();
            assertEquals(expected, EventValidator.isValidUserId(s), s);
            accepted += expected ? 1 : 0;
        }
        assertEquals(false, EventValidator.isValidUserId(null));
        assertEquals(false, EventValidator.isValidUserId(""));
        assertEquals(true, EventValidator.isValidUserId("a".repeat(64)));
        assertEquals(false, EventValidator.isValidUserId("a".repeat(65)));
        assertEquals(true, accepted > 30_000 && accepted < 170_000, "accepted " + accepted);
    }
}
