package io.painjournal.app;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A seeded generator of hostile request bodies: random bytes, valid events mutated byte by byte, JSON of
 * the wrong shape (wrong types, huge and odd numbers, deep nesting, duplicate keys, lone surrogates,
 * control characters, very long strings), and batches of garbage. The same seed gives the same bodies, so a
 * failure is reproducible from the seed the test prints.
 */
final class HostileBodies {

    static final List<String> PATHS = List.of("/v1/sessions", "/v1/pain-scores", "/v1/events");
    private static final String[] FIELDS = {
        "eventId",
        "userId",
        "technique",
        "startedAt",
        "durationMinutes",
        "painBefore",
        "painAfter",
        "provider",
        "costCents",
        "currency",
        "bodyArea",
        "intensity",
        "cohort",
        "recordedAt",
        "pain",
        "sleepQuality",
        "stress",
        "mood",
        "anxiety",
        "headache",
        "type"
    };

    private final Random random;
    private final String user;

    HostileBodies(long seed, String user) {
        this.random = new Random(seed);
        this.user = user;
    }

    /** A body for {@code path}. */
    byte[] next(String path) {
        int kind = random.nextInt(100);
        byte[] body;
        if (kind < 15) {
            body = randomBytes(random.nextInt(2000));
        } else if (kind < 45) {
            body = mutate(valid(path).getBytes(StandardCharsets.UTF_8));
        } else if (kind < 75) {
            body = wrongShape(path).getBytes(StandardCharsets.UTF_8);
        } else if (kind < 85) {
            body = extreme().getBytes(StandardCharsets.UTF_8);
        } else if (kind < 95) {
            body = garbageBatch().getBytes(StandardCharsets.UTF_8);
        } else {
            body = badUtf8(valid(path));
        }
        return body;
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    String valid(String path) {
        String session = IngestEndToEndTest.session(UUID.randomUUID().toString(), user, "");
        String entry = IngestEndToEndTest.painScore(UUID.randomUUID().toString(), user);
        return switch (path) {
            case "/v1/sessions" -> session;
            case "/v1/pain-scores" -> entry;
            default ->
                "[" + IngestEndToEndTest.withType("session", session) + ","
                        + IngestEndToEndTest.withType("pain-score", entry) + "]";
        };
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** 1–8 byte-level edits: flip, delete, insert, duplicate a span, or truncate. */
    private byte[] mutate(byte[] in) {
        byte[] b = in;
        for (int edits = 1 + random.nextInt(8); edits > 0 && b.length > 1; edits--) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(5)) {
                case 0 -> b[at] = (byte) random.nextInt(256);
                case 1 -> b = concat(slice(b, 0, at), slice(b, at + 1, b.length));
                case 2 ->
                    b = concat(
                            slice(b, 0, at),
                            new byte[] {(byte) "{}[]\",:0-e.\\ \u0000".charAt(random.nextInt(14))},
                            slice(b, at, b.length));
                case 3 -> {
                    int end = Math.min(b.length, at + 1 + random.nextInt(40));
                    b = concat(slice(b, 0, end), slice(b, at, end), slice(b, end, b.length));
                }
                default -> b = slice(b, 0, at);
            }
        }
        return b;
    }

    /** A JSON object with the contract's field names holding values of random types and sizes. */
    private String wrongShape(String path) {
        StringBuilder o = new StringBuilder("{");
        int n = random.nextInt(FIELDS.length + 4);
        for (int i = 0; i < n; i++) {
            String field = FIELDS[random.nextInt(FIELDS.length)];
            o.append(i == 0 ? "" : ",").append('"').append(field).append("\":").append(value(3));
            if (random.nextInt(10) == 0) { // a duplicate key
                o.append(",\"").append(field).append("\":").append(value(1));
            }
        }
        o.append('}');
        return path.equals("/v1/events") && random.nextBoolean() ? "[" + o + "]" : o.toString();
    }

    private String value(int depth) {
        return switch (random.nextInt(depth > 0 ? 14 : 11)) {
            case 0 -> "null";
            case 1 -> random.nextBoolean() ? "true" : "false";
            case 2 -> Integer.toString(random.nextInt());
            case 3 -> Long.toString(random.nextLong());
            case 4 -> random.nextDouble() * 20 - 5 + "";
            case 5 -> "\"" + "x".repeat(random.nextInt(100)) + "\"";
            case 6 -> "\"" + UUID.randomUUID() + "\"";
            case 7 -> "\"2026-11-" + (10 + random.nextInt(30)) + "T25:61:00" + (random.nextBoolean() ? "Z" : "") + "\"";
            case 8 ->
                List.of(
                                "1e999",
                                "-1e999",
                                "1e-999",
                                "0.0000000001",
                                "99999999999999999999999",
                                "-0",
                                "7.0",
                                "1E2",
                                "0x10",
                                "NaN",
                                "Infinity",
                                "+1",
                                "01")
                        .get(random.nextInt(13));
            case 9 -> "\"\\ud800\\u0000\\u001f\u00e9\\\"\"";
            case 10 ->
                "\""
                        + List.of(
                                        "melt",
                                        "tennis-ball",
                                        "self",
                                        "GBP",
                                        "moderate",
                                        "session",
                                        "pain-score",
                                        user,
                                        "someone-else",
                                        "")
                                .get(random.nextInt(10))
                        + "\"";
            case 11 -> "[" + value(depth - 1) + "," + value(depth - 1) + "]";
            case 12 -> "{\"" + FIELDS[random.nextInt(FIELDS.length)] + "\":" + value(depth - 1) + "}";
            default -> "[]";
        };
    }

    /** Nesting far beyond any limit, numbers of 100,000 digits, 1 MiB strings, a body of whitespace. */
    private String extreme() {
        int depth = 1 + random.nextInt(60_000);
        return switch (random.nextInt(6)) {
            case 0 -> "[".repeat(depth) + "]".repeat(depth);
            case 1 -> "{\"a\":".repeat(Math.min(depth, 20_000)) + "1" + "}".repeat(Math.min(depth, 20_000));
            case 2 -> "{\"painBefore\":" + "9".repeat(1 + random.nextInt(100_000)) + "}";
            case 3 -> "{\"userId\":\"" + "u".repeat(1 + random.nextInt(1_100_000)) + "\"}";
            case 4 -> " ".repeat(1 + random.nextInt(10_000));
            default -> "{\"eventId\":\"" + UUID.randomUUID() + "\"}".repeat(1 + random.nextInt(5));
        };
    }

    /** A batch of 1,000 (sometimes 1,001) items of garbage: numbers, strings, arrays, wrong objects. */
    private String garbageBatch() {
        int n = random.nextInt(4) == 0 ? 1001 : 1000;
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append(random.nextInt(3) == 0 ? wrongShape("/v1/sessions") : value(1));
        }
        return b.append(']').toString();
    }

    /** A valid event with bytes that are not UTF-8 inside one of its strings. */
    private byte[] badUtf8(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        int quote = json.indexOf(user);
        byte[][] bad = {
            {(byte) 0xC3},
            {(byte) 0xFF, (byte) 0xFE},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            {(byte) 0x80}
        };
        return concat(slice(b, 0, quote), bad[random.nextInt(bad.length)], slice(b, quote, b.length));
    }

    private static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
