package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the all-in-one jar while 8 clients post sessions, then a restart on the same
 * DATA_DIR: every event that got a 202 is counted exactly once, none that got no answer is counted twice,
 * and re-posting everything answers {@code duplicate} for every acknowledged event and leaves each event
 * counted once. One user per event, so a user's session count says whether (and how often) that event
 * counted.
 */
class CrashIT {

    static final int CLIENTS = 8;
    static final int ACKNOWLEDGED_BEFORE_KILL = 600;

    private record Sent(String eventId, String user, String body) {
    }

    private enum Answer { ACCEPTED, NONE, OTHER }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String admin = TestJwt.token("ops", "admin");

    @Test
    void killNineLosesNothingAcknowledgedAndCountsNothingTwice(@TempDir Path tmp) throws Exception {
        Path dataDir = tmp.resolve("data");
        Map<String, String> env = Map.of("JWT_SECRET", TestJwt.SECRET,
                "RATE_LIMIT_TOKEN_PER_S", "0", "RATE_LIMIT_ADDRESS_PER_S", "0");
        JarProcess first = JarProcess.start(dataDir, env, "first");
        Map<Sent, Answer> sent = new ConcurrentHashMap<>();
        List<Sent> order = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            clients.submit(() -> {
                while (!stop.get()) {
                    String eventId = UUID.randomUUID().toString();
                    String user = "crash-" + eventId.substring(0, 13);
                    Sent s = new Sent(eventId, user, IngestEndToEndTest.session(eventId, user, ""));
                    order.add(s);
                    Answer a = post(first.port(), s.body());
                    sent.put(s, a);
                    if (a == Answer.NONE) {
                        return null; // the process is gone
                    }
                }
                return null;
            });
        }
        TestApps.await(ACKNOWLEDGED_BEFORE_KILL + " acknowledged", Duration.ofSeconds(120),
                () -> sent.values().stream().filter(a -> a == Answer.ACCEPTED).count() >= ACKNOWLEDGED_BEFORE_KILL);
        first.kill();
        stop.set(true);
        clients.shutdown();
        assertTrue(clients.awaitTermination(60, TimeUnit.SECONDS));
        for (Sent s : order) {
            sent.putIfAbsent(s, Answer.NONE); // sent, and no answer recorded before the kill
        }
        List<Sent> acknowledged = order.stream().filter(s -> sent.get(s) == Answer.ACCEPTED).toList();
        List<Sent> unanswered = order.stream().filter(s -> sent.get(s) == Answer.NONE).toList();
        assertEquals(0, order.stream().filter(s -> sent.get(s) == Answer.OTHER).count(), "only 202s or no answer");
        assertTrue(!unanswered.isEmpty(), "some requests were in flight when the process was killed");

        JarProcess second = JarProcess.start(dataDir, env, "second");
        try {
            TestHttp http = new TestHttp(second.port());
            TestApps.await("every acknowledged event counted", Duration.ofSeconds(120),
                    () -> acknowledged.stream().allMatch(s -> sessions(http, s.user()) == 1));
            int unansweredCounted = 0;
            for (Sent s : unanswered) {
                int n = sessions(http, s.user());
                assertTrue(n <= 1, "an unanswered event is counted at most once: " + n);
                unansweredCounted += n;
            }

            for (Sent s : acknowledged) {
                TestHttp.Response r = http.postJson("/v1/sessions", admin, s.body());
                assertEquals(200, r.status(), r.body());
                assertEquals("duplicate", r.json().get("status").asText(), "an acknowledged event is a duplicate");
            }
            for (Sent s : unanswered) {
                int status = http.postJson("/v1/sessions", admin, s.body()).status();
                assertTrue(status == 200 || status == 202, "re-posting an unanswered event: " + status);
            }
            TestApps.await("every event counted after the re-posts", Duration.ofSeconds(120),
                    () -> order.stream().allMatch(s -> sessions(http, s.user()) == 1));
            TestHttp.Response population = http.get("/v1/techniques", admin);
            int total = 0;
            for (JsonNode t : population.json().get("techniques")) {
                total += t.get("sessions").asInt();
            }
            assertEquals(order.size(), total, "the population counts every event once");
            System.out.printf("CrashIT: %d sent by %d clients, %d acknowledged (202), %d unanswered at kill -9; "
                            + "after restart %d acknowledged counted once, 0 lost, %d unanswered already counted; "
                            + "after re-posting all: %d counted, each once%n", order.size(), CLIENTS,
                    acknowledged.size(), unanswered.size(), acknowledged.size(), unansweredCounted, total);
        } finally {
            second.terminate();
        }
    }

    private Answer post(int port, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/sessions"))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 202
                    ? Answer.ACCEPTED : Answer.OTHER;
        } catch (IOException e) {
            return Answer.NONE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.NONE;
        }
    }

    /** The user's tennis-ball sessions as counted (-1 while the state is not ready). */
    private int sessions(TestHttp http, String user) {
        TestHttp.Response r = http.get("/v1/users/" + user + "/techniques", admin);
        if (r.status() != 200) {
            return -1;
        }
        int n = 0;
        for (JsonNode t : r.json().get("techniques")) {
            n += t.get("sessions").asInt();
        }
        return n;
    }
}
