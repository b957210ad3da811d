package io.painjournal.app;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Companion apps posting unique sessions over HTTP throughout a scenario, each answer recorded as
 * acknowledged (202), refused (an answer that is not a 202: 503 while Kafka is unreachable) or unknown (no
 * answer: the connection failed or timed out). One user per event, so a user's count says how often that
 * event counted. Each client paces itself (bounded rate, bounded time).
 */
final class FaultWorkload implements AutoCloseable {

    enum Outcome {
        ACKNOWLEDGED,
        REFUSED,
        UNKNOWN
    }

    /** One post and what came back. */
    record Sent(String eventId, String user, long sentAtNanos, Outcome outcome, int status, boolean retryAfter) {}

    static final int CLIENTS = 4;
    static final Duration PACE = Duration.ofMillis(150); // ≤ 7 posts/s per client
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final String ingestUrl;
    private final String token = TestJwt.token("fault-suite", "admin");
    private final String prefix;
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);

    private FaultWorkload(String ingestUrl, String prefix) {
        this.ingestUrl = ingestUrl;
        this.prefix = prefix;
    }

    /** Starts the clients; users are {@code <prefix>-<id>}. */
    static FaultWorkload start(String ingestUrl, String prefix) {
        FaultWorkload w = new FaultWorkload(ingestUrl, prefix);
        for (int i = 0; i < CLIENTS; i++) {
            w.clients.submit(w::client);
        }
        return w;
    }

    private void client() {
        while (!stop.get()) {
            long started = System.nanoTime();
            String eventId = UUID.randomUUID().toString();
            String user = prefix + "-" + eventId.substring(0, 13);
            HttpRequest request = HttpRequest.newBuilder(URI.create(ingestUrl + "/v1/sessions"))
                    .timeout(Duration.ofSeconds(15))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(IngestEndToEndTest.session(eventId, user, "")))
                    .build();
            Sent s;
            try {
                HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                s = new Sent(
                        eventId,
                        user,
                        started,
                        r.statusCode() == 202 ? Outcome.ACKNOWLEDGED : Outcome.REFUSED,
                        r.statusCode(),
                        r.headers().firstValue("Retry-After").isPresent());
            } catch (java.net.ConnectException never) {
                s = new Sent(eventId, user, started, Outcome.REFUSED, 0, false); // nothing was sent
            } catch (IOException e) {
                s = new Sent(eventId, user, started, Outcome.UNKNOWN, 0, false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                sent.add(new Sent(eventId, user, started, Outcome.UNKNOWN, 0, false));
                return;
            }
            sent.add(s);
            long rest = PACE.toNanos() - (System.nanoTime() - started);
            if (rest > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(rest);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Everything posted so far with its answer. */
    List<Sent> sent() {
        return List.copyOf(sent);
    }

    long count(Outcome outcome) {
        return sent.stream().filter(s -> s.outcome() == outcome).count();
    }

    long acknowledgedSince(long nanos) {
        return sent.stream()
                .filter(s -> s.outcome() == Outcome.ACKNOWLEDGED && s.sentAtNanos() >= nanos)
                .count();
    }

    /** Stops the clients and waits for the posts in flight to be answered or to time out. */
    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        clients.shutdown();
        if (!clients.awaitTermination(30, TimeUnit.SECONDS)) {
            clients.shutdownNow();
        }
    }
}
