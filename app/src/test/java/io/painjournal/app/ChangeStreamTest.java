package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/stream}: authorised like the rest, and a session or a journal entry of the signed-in
 * user is announced as {@code event: changed} within a second of its 202.
 */
class ChangeStreamTest extends SharedAppTest {

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void withoutATokenTheStreamIs401() {
        TestHttp.Response r = http.get("/v1/stream", null);
        assertEquals(401, r.status());
        assertEquals("application/problem+json", r.contentType());
    }

    @Test
    void aNewSessionAndANewJournalEntryAreAnnounced() throws Exception {
        String user = "u-stream";
        String token = TestJwt.token(user, "user");
        HttpResponse<InputStream> response = client.send(
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + app.config().httpPort() + "/v1/stream"))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith("event: ")) {
                        events.add(line.substring(7));
                    }
                }
            } catch (Exception closed) {
                // the test is over
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            assertEquals("ready", events.poll(10, TimeUnit.SECONDS), "the stream has taken its first look");
            assertEquals(
                    202,
                    http.postJson(
                                    "/v1/sessions",
                                    token,
                                    IngestEndToEndTest.session(UUID.randomUUID().toString(), user, ""))
                            .status());
            // How soon is bench/'s to measure (freshness under load); here, that it comes at all.
            assertEquals("changed", events.poll(10, TimeUnit.SECONDS), "a session is announced");

            IngestEndToEndTest.postPainScore(http, token, user);
            assertEquals(
                    "changed",
                    events.poll(10, TimeUnit.SECONDS),
                    "a journal entry changes only the user's own journal, and is announced too");
        } finally {
            response.body().close();
        }
    }
}
