package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The limits of the configuration table, each at a small value: requests per caller and per address
 * (429 with Retry-After), header size (431), open connections, and bodies that never finish (408). Every
 * refusal is problem+json, and one client at its limit does not starve another.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LimitsTest {

    private Application app;
    private int port;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        Map<String, String> env = TestApps.env(dataDir);
        env.put("RATE_LIMIT_TOKEN_PER_S", "1");
        env.put("RATE_LIMIT_TOKEN_BURST", "5");
        env.put("RATE_LIMIT_ADDRESS_PER_S", "1");
        env.put("RATE_LIMIT_ADDRESS_BURST", "40");
        env.put("HTTP_MAX_CONNECTIONS", "4");
        env.put("HTTP_MAX_HEADER_BYTES", "2048");
        env.put("HTTP_REQUEST_TIMEOUT_MS", "1000");
        app = TestApps.start(env);
        port = app.config().httpPort();
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private RawHttp.Answer get(String path, String token) throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            return c.send(RawHttp.request("GET", path, token, null, -1)).read();
        }
    }

    /**
     * One test, in order, because every request here comes from one address and shares its bucket: first
     * the caller's limit, then the address's. Last of the class: it leaves the address limited.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void aCallerAndThenAnAddressOverTheirRateGet429WithRetryAfterAndOthersAreNotStarved() throws Exception {
        String greedy = TestJwt.token("u-greedy", "user");
        for (int i = 0; i < 5; i++) {
            assertEquals(200, get("/v1/catalogue", greedy).status(), "request " + i + " of the caller's burst");
        }
        RawHttp.Answer limited = get("/v1/catalogue", greedy);
        assertEquals(429, limited.status(), limited.body());
        assertTrue(limited.isProblem(), limited.head() + limited.body());
        assertTrue(limited.head().contains("Retry-After: 1"), limited.head());
        assertTrue(limited.body().contains("this token"), limited.body());
        assertEquals(
                200,
                get("/v1/catalogue", TestJwt.token("u-patient", "user")).status(),
                "another caller is not starved by the greedy one");

        // 7 requests so far of this address's 40; bad tokens count too (the address is checked first).
        int answered = 7;
        RawHttp.Answer last = null;
        while (answered < 200) {
            last = get("/v1/catalogue", answered % 2 == 0 ? "garbage" : TestJwt.token("u-" + answered, "user"));
            answered++;
            if (last.status() == 429) {
                break;
            }
            assertTrue(last.status() == 200 || last.status() == 401, last.status() + " " + last.body());
        }
        assertEquals(429, last.status(), "the address is limited after its burst");
        assertTrue(
                answered >= 36,
                "the burst of 40 went through first (less the 3 requests of the other "
                        + "tests, if the bucket has not filled up since): " + answered);
        assertTrue(last.body().contains("this address"), last.body());
        assertTrue(last.isProblem());
        assertEquals(200, get("/health/live", null).status(), "operations endpoints are not limited");
    }

    @Test
    void headersOverTheLimitAre431ProblemJson() throws Exception {
        String token = TestJwt.token("u-headers", "admin");
        assertEquals(200, get("/v1/catalogue", token).status());
        try (RawHttp c = new RawHttp(port)) {
            RawHttp.Answer a = c.send(
                            "GET /v1/catalogue HTTP/1.1\r\nHost: x\r\nX-Padding: " + "p".repeat(3000) + "\r\n\r\n")
                    .read();
            assertEquals(431, a.status(), a.head() + a.body());
            assertTrue(a.isProblem(), a.head() + a.body());
            assertTrue(
                    a.head().matches("(?s).*X-Request-Id: [0-9a-f]{32}\r\n.*"), "a request id here too: " + a.head());
        }
    }

    @Test
    void aBodyThatNeverFinishesIs408AndItsConnectionClosed() throws Exception {
        String token = TestJwt.token("u-slow", "user");
        byte[] body = IngestEndToEndTest.session(UUID.randomUUID().toString(), "u-slow", "")
                .getBytes(StandardCharsets.UTF_8);
        long start = System.nanoTime();
        try (RawHttp slow = new RawHttp(port)) {
            slow.send(RawHttp.request("POST", "/v1/sessions", token, "application/json", body.length));
            slow.send(java.util.Arrays.copyOf(body, 10)); // and never the rest
            RawHttp.Answer a = slow.read();
            assertEquals(408, a.status(), a.head() + a.body());
            assertTrue(a.isProblem(), a.head() + a.body());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0);
            assertTrue(slow.closedByServer(), "the connection of a slow body is closed");
        }
        try (RawHttp headersOnly = new RawHttp(port)) {
            RawHttp.Answer a = headersOnly
                    .send(RawHttp.request("POST", "/v1/events", token, "application/json", 100))
                    .read();
            assertEquals(408, a.status(), a.head() + a.body());
            assertTrue(a.isProblem(), a.head() + a.body());
        }
    }

    @Test
    void connectionsOverTheLimitAreClosedAndTheirPlacesFreedWhenOthersClose() throws Exception {
        awaitAConnectionIsServed();
        List<RawHttp> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                RawHttp c = new RawHttp(port);
                held.add(c);
                // A connection counts once it speaks HTTP; these stay open (keep-alive) after one request.
                assertEquals(
                        200,
                        c.send(RawHttp.request("GET", "/health/live", null, null, -1))
                                .read()
                                .status());
            }
            // The server counts a connection when it accepts it; the fifth is refused.
            TestApps.await("all four connections counted", Duration.ofSeconds(10), () -> {
                try (RawHttp extra = new RawHttp(port)) {
                    return extra.send(RawHttp.request("GET", "/health/live", null, null, -1))
                                    .read()
                                    .status()
                            == 503;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            try (RawHttp extra = new RawHttp(port)) {
                RawHttp.Answer a = extra.send(
                                "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Request-Id: over-the-limit-1\r\n\r\n")
                        .read();
                assertEquals(503, a.status(), "a connection beyond HTTP_MAX_CONNECTIONS is refused");
                assertTrue(a.head().contains("X-Request-Id: over-the-limit-1"), "the caller's id: " + a.head());
                assertTrue(a.isProblem() && a.head().contains("Retry-After: 1"), a.head() + a.body());
                assertTrue(extra.closedByServer(), "and closed");
            }
            assertEquals(
                    200,
                    held.get(0)
                            .send(RawHttp.request("GET", "/health/live", null, null, -1))
                            .read()
                            .status(),
                    "the admitted connections are served");
        } finally {
            for (RawHttp c : held) {
                c.close();
            }
        }
        awaitAConnectionIsServed();
    }

    private void awaitAConnectionIsServed() throws InterruptedException {
        TestApps.await("a connection is served", Duration.ofSeconds(10), () -> {
            try (RawHttp c = new RawHttp(port)) {
                return c.send(RawHttp.request("GET", "/health/live", null, null, -1))
                                .read()
                                .status()
                        == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }
}
