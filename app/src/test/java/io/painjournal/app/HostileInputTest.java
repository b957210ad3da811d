package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * At least 10,000 hostile bodies at every POST endpoint ({@link HostileBodies}, seeded), from four clients
 * at once, with valid events posted between them: every answer to a hostile body is a 4xx with a
 * problem+json body (or, for a mutation that happens to still be a valid event of the fuzzer's own, the
 * normal answer), never a 5xx and never a dropped connection; afterwards the process is still ready and
 * every valid event posted beside the garbage is counted, once.
 */
class HostileInputTest extends SharedAppTest {

    static final int CLIENTS = 4;
    static final int CASES_PER_CLIENT = 2_600;
    /** Content types other than JSON, sent with one body in twenty (the rest say application/json). */
    private static final String[] WRONG_TYPES = {
        "text/plain",
        null,
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/json-seq",
        "application/xml"
    };

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
    /** Valid sessions acknowledged 202 (or accepted in a batch), per valid user. */
    private final Map<String, Set<String>> acknowledged = new ConcurrentHashMap<>();

    @Test
    void tenThousandHostileBodiesGetProblemJson4xxAndTheValidEventsBesideThemAreAllCounted() throws Exception {
        long seed = Long.getLong("fuzz.seed", 20261125L);
        System.out.println("HostileInputTest seed " + seed + " (rerun with -Dfuzz.seed=" + seed + ")");
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<Integer>> runs = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            long clientSeed = seed + c;
            int client = c;
            runs.add(pool.submit(() -> fuzz(clientSeed, client)));
        }
        int cases = 0;
        for (Future<Integer> run : runs) {
            cases += run.get();
        }
        pool.shutdown();
        cases += rawCases();
        System.out.println("HostileInputTest: " + cases + " hostile requests, answers by status: "
                + new TreeMap<>(Map.copyOf(statuses)));
        assertTrue(cases >= 10_000, "at least 10,000 hostile bodies: " + cases);
        assertTrue(statuses.keySet().stream().noneMatch(s -> s.startsWith("5")), "no 5xx: " + statuses);

        assertEquals(200, http.get("/health/ready", null).status(), "the process is still ready");
        String admin = TestJwt.token("ops", "admin");
        int valid = acknowledged.values().stream().mapToInt(Set::size).sum();
        assertTrue(valid > 300, "valid events were posted among the garbage: " + valid);
        TestApps.await(
                "every valid event counted once",
                Duration.ofSeconds(60),
                () -> acknowledged.entrySet().stream()
                        .allMatch(e -> tennisBallSessions(e.getKey(), admin)
                                == e.getValue().size()));
        System.out.println("HostileInputTest: " + valid + " valid events posted beside them, all counted once");
    }

    private int tennisBallSessions(String user, String admin) {
        TestHttp.Response r = http.get("/v1/users/" + user + "/techniques", admin);
        if (r.status() != 200) {
            return -1;
        }
        for (JsonNode t : r.json().get("techniques")) {
            if (t.get("technique").asText().equals("tennis-ball")) {
                return t.get("sessions").asInt();
            }
        }
        return 0;
    }

    private int fuzz(long seed, int clientIndex) throws Exception {
        String fuzzer = "fz-fuzzer-" + clientIndex;
        String token = TestJwt.token(fuzzer, "user");
        HostileBodies bodies = new HostileBodies(seed, fuzzer);
        for (int i = 0; i < CASES_PER_CLIENT; i++) {
            if (i % 25 == 0) {
                postValid(clientIndex, i);
            }
            String path = HostileBodies.PATHS.get(bodies.nextInt(HostileBodies.PATHS.size()));
            byte[] body = bodies.next(path);
            String contentType = bodies.nextInt(20) > 0
                    ? (bodies.nextInt(4) == 0 ? "application/json; charset=utf-8" : "application/json")
                    : WRONG_TYPES[bodies.nextInt(WRONG_TYPES.length)];
            HttpRequest.Builder b = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + app.config().httpPort() + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            check(r, seed, i, path, body);
        }
        return CASES_PER_CLIENT;
    }

    private void check(HttpResponse<String> r, long seed, int i, String path, byte[] body) {
        int status = r.statusCode();
        statuses.computeIfAbsent(Integer.toString(status), s -> new AtomicInteger())
                .incrementAndGet();
        String what = "seed " + seed + " case " + i + " " + path + " -> " + status + " " + r.body() + "\nbody: "
                + new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
        assertTrue(status < 500, what);
        if (status >= 400) {
            assertEquals(
                    "application/problem+json",
                    r.headers().firstValue("Content-Type").orElse(""),
                    what);
            assertEquals(
                    status,
                    TestHttp.JSON
                            .valueToTree(parse(r.body(), what))
                            .get("status")
                            .asInt(),
                    what);
        } else {
            assertTrue(status == 200 || status == 202, what);
            parse(r.body(), what);
        }
    }

    private static JsonNode parse(String json, String what) {
        try {
            return TestHttp.JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + what, e);
        }
    }

    /** A valid session of one of 20 users, alone or in a batch, recorded when acknowledged. */
    private void postValid(int clientIndex, int i) {
        String user = "fz-valid-" + ((clientIndex * 7 + i / 25) % 20);
        String token = TestJwt.token(user, "user");
        String eventId = UUID.randomUUID().toString();
        String session = IngestEndToEndTest.session(eventId, user, "");
        boolean accepted;
        if (i % 50 == 0) {
            TestHttp.Response r = http.postJson("/v1/sessions", token, session);
            accepted = r.status() == 202;
        } else {
            TestHttp.Response r = http.postJson(
                    "/v1/events",
                    token,
                    "[" + IngestEndToEndTest.withType("session", session)
                            + ",{\"type\":\"session\",\"painBefore\":\"seven\"}]");
            accepted = r.status() == 200
                    && r.json().get("results").get(0).get("status").asText().equals("accepted");
        }
        assertTrue(accepted, "a valid event among the garbage is accepted");
        acknowledged.computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet()).add(eventId);
    }

    /**
     * What a client library would never send: a body shorter than its Content-Length and then a hang-up,
     * headers and no body, chunked encoding with nonsense sizes, a request line of garbage. Answered ones
     * must be problem+json 4xx; the rest simply must not hurt.
     */
    private int rawCases() throws Exception {
        String token = TestJwt.token("fz-raw", "user");
        int port = app.config().httpPort();
        int n = 0;
        for (int i = 0; i < 40; i++, n++) {
            try (RawHttp c = new RawHttp(port)) {
                c.send(RawHttp.request("POST", HostileBodies.PATHS.get(i % 3), token, "application/json", 500));
                c.send("{\"eventId\":");
            } // hung up mid-body
        }
        for (int i = 0; i < 20; i++, n++) {
            try (RawHttp c = new RawHttp(port)) {
                RawHttp.Answer a = c.send(
                                RawHttp.request("POST", HostileBodies.PATHS.get(i % 3), token, "application/json", 0))
                        .read();
                assertEquals(400, a.status(), a.head() + a.body());
                assertTrue(a.isProblem(), a.body());
            }
        }
        String[] raw = {
            "POST /v1/sessions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nabc\r\n0\r\n\r\n",
            "POST /v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
            "POST /v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n12345",
            "\u0000\u0001\u0002 GARBAGE \r\n\r\n",
            // (Not here: a request line naming HTTP/9.9 is answered 501 by Vert.x itself, before any handler.)
        };
        for (String r : raw) {
            for (int i = 0; i < 8; i++, n++) {
                try (RawHttp c = new RawHttp(port)) {
                    RawHttp.Answer a = c.send(r).read();
                    statuses.computeIfAbsent(Integer.toString(a.status()), s -> new AtomicInteger())
                            .incrementAndGet();
                    if (a.status() > 0) {
                        assertTrue(a.status() >= 400 && a.status() < 500, r + " -> " + a.head() + a.body());
                        assertTrue(a.isProblem(), r + " -> " + a.head() + a.body());
                    }
                }
            }
        }
        return n;
    }
}
