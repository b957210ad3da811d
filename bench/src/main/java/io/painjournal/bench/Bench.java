package io.painjournal.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures a running server (bench/run starts one): how fresh the population answer is after an
 * accepted event on a quiet system, how many events per second ingest takes, one at a time and in
 * batches, and how long analytics takes to count a backlog. Freshness is measured by the melt count
 * growing, so it is only measured once everything posted before has been counted. Every
 * figure comes from one run on one machine; compare figures of the same run with each other.
 *
 * <p>Usage: {@code Bench <baseUrl> <adminToken> <step>...} where a step is {@code warmup},
 * {@code freshness:<samples>}, {@code singles:<total>:<clients>}, {@code batches:<count>:<size>:<clients>} or
 * {@code drain} ({@code warmup:<readUrl>} and {@code drain:<readUrl>} read the answers from another process,
 * e.g. api in the split deployment, while the accepted count comes from {@code baseUrl}). Each step prints a human line and a {@code RESULT name value} line per figure, which
 * bench/run gathers into its table and JSON file.
 */
public final class Bench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    private final String token;

    private Bench(String base, String token) {
        this.base = base;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        Bench bench = new Bench(args[0], args[1]);
        for (int i = 2; i < args.length; i++) {
            String[] step = args[i].split(":");
            switch (step[0]) {
                case "warmup" -> bench.warmUp(args[i].length() > 7 ? args[i].substring(7) : bench.base);
                case "freshness" -> bench.freshness(Integer.parseInt(step[1]));
                case "singles" -> bench.singleEvents(Integer.parseInt(step[1]), Integer.parseInt(step[2]));
                case "batches" ->
                    bench.batches(Integer.parseInt(step[1]), Integer.parseInt(step[2]), Integer.parseInt(step[3]));
                case "drain" -> bench.drain(args[i].length() > 6 ? args[i].substring(6) : bench.base);
                case "trial" -> bench.trial(step[1]);
                default -> throw new IllegalArgumentException("unknown step " + args[i]);
            }
        }
    }

    static void result(String name, double value) {
        System.out.printf("RESULT %s %.1f%n", name, value);
    }

    private static String session(String user) {
        return "{\"type\":\"session\",\"eventId\":\"" + UUID.randomUUID() + "\",\"userId\":\"" + user
                + "\",\"technique\":\"melt\",\"startedAt\":\"" + Instant.now().minusSeconds(3600)
                + "\",\"durationMinutes\":10,\"painBefore\":7,\"painAfter\":4}";
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return CLIENT.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private long meltSessions() throws Exception {
        HttpResponse<String> r = CLIENT.send(
                HttpRequest.newBuilder(URI.create(base + "/v1/techniques"))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return -1;
        }
        for (JsonNode t : JSON.readTree(r.body()).get("techniques")) {
            if (t.get("technique").asText().equals("melt")) {
                return t.get("sessions").asLong();
            }
        }
        return 0;
    }

    /**
     * Posts 200 melt sessions from 20 users and waits until they are counted (read from {@code readBase}):
     * disclosure control hides a technique fewer than k users tried, and the freshness probes and
     * {@link #drain} read the melt count of the population answer.
     */
    private void warmUp(String readBase) throws Exception {
        for (int i = 0; i < 200; i++) {
            post("/v1/events", "[" + session("warm-" + (i % 20)) + "]");
        }
        drain(readBase);
    }

    /**
     * Waits until analytics has counted every session ingest has accepted so far (the server's own counter
     * {@code painjournal_ingest_sessions_total} against the sessions of {@code GET /v1/techniques}, so it works
     * whichever process posted them); reports how long the backlog took.
     */
    private void drain() throws Exception {
        drain(base);
    }

    private void drain(String readBase) throws Exception {
        long start = System.nanoTime();
        long target = acceptedSessions();
        long deadline = start + Duration.ofSeconds(300).toNanos();
        long counted;
        while ((counted = countedSessions(readBase)) < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "analytics did not catch up within 300 s: " + counted + " of " + target + " sessions");
            }
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("backlog of %d sessions counted %.1f s after the last post%n", target, seconds);
        result("backlog_seconds", seconds);
    }

    private long acceptedSessions() throws Exception {
        HttpResponse<String> r = CLIENT.send(
                HttpRequest.newBuilder(URI.create(base + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        double total = 0;
        for (String line : r.body().split("\n")) {
            if (line.startsWith("painjournal_ingest_sessions_total{")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) total;
    }

    private long countedSessions(String readBase) throws Exception {
        HttpResponse<String> r = CLIENT.send(
                HttpRequest.newBuilder(URI.create(readBase + "/v1/techniques"))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return -1;
        }
        long total = 0;
        for (JsonNode t : JSON.readTree(r.body()).get("techniques")) {
            total += t.path("sessions").asLong();
        }
        return total;
    }

    /** Starts a trial for the token's user (a week ago, so it is running) and waits until it can be read. */
    private void trial(String user) throws Exception {
        String id = UUID.randomUUID().toString();
        String body = "{\"trialId\":\"" + id + "\",\"techniques\":[\"tennis-ball\",\"partner\"],\"startDate\":\""
                + java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(7) + "\",\"periodDays\":7,\"pairs\":3}";
        HttpResponse<String> posted = post("/v1/users/" + user + "/trials", body);
        if (posted.statusCode() != 202) {
            throw new IllegalStateException("trial post answered " + posted.statusCode() + " " + posted.body());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (CLIENT.send(
                                HttpRequest.newBuilder(URI.create(base + "/v1/users/" + user + "/trials/" + id))
                                        .header("Authorization", "Bearer " + token)
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the trial was not readable within 60 s");
            }
            Thread.sleep(20);
        }
        System.out.println("TRIAL " + id);
    }

    /** Post one event, poll the population answer until it counts it: the time from sending to seeing. */
    private void freshness(int samples) throws Exception {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            long before = meltSessions();
            long start = System.nanoTime();
            HttpResponse<String> r = post("/v1/events", "[" + session("fresh-" + (i % 50)) + "]");
            if (r.statusCode() != 200) {
                throw new IllegalStateException("post failed: " + r.statusCode() + " " + r.body());
            }
            long deadline = start + Duration.ofSeconds(30).toNanos();
            while (meltSessions() <= before) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("event not visible within 30 s");
                }
                Thread.sleep(5);
            }
            millis.add((System.nanoTime() - start) / 1e6);
        }
        Collections.sort(millis);
        System.out.printf(
                "freshness (accepted -> counted in GET /v1/techniques), %d samples: "
                        + "p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                samples, pct(millis, 50), pct(millis, 95), pct(millis, 99), millis.get(millis.size() - 1));
        result("freshness_p50_ms", pct(millis, 50));
        result("freshness_p99_ms", pct(millis, 99));
    }

    /** POST /v1/sessions one event at a time from {@code concurrency} clients. */
    private void singleEvents(int total, int concurrency) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicInteger next = new AtomicInteger();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            workers.add(pool.submit(() -> {
                while (next.getAndIncrement() < total) {
                    String body = session("single-" + (next.get() % 500)).replace("{\"type\":\"session\",", "{");
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = post("/v1/sessions", body);
                    if (r.statusCode() != 202) {
                        throw new IllegalStateException(r.statusCode() + " " + r.body());
                    }
                    latencies.add((System.nanoTime() - t0) / 1e6);
                }
                return null;
            }));
        }
        for (Future<?> f : workers) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        List<Double> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf(
                "single events (POST /v1/sessions, %d clients): %d in %.1f s = %.0f events/s; "
                        + "latency p50 %.1f ms, p99 %.1f ms%n",
                concurrency, total, seconds, total / seconds, pct(sorted, 50), pct(sorted, 99));
    }

    /** POST /v1/events with {@code size} events each, from {@code concurrency} clients. */
    private void batches(int count, int size, int concurrency) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> jobs = new ArrayList<>();
        long start = System.nanoTime();
        for (int b = 0; b < count; b++) {
            int batch = b;
            jobs.add(pool.submit(() -> {
                StringBuilder body = new StringBuilder("[");
                for (int i = 0; i < size; i++) {
                    body.append(i == 0 ? "" : ",").append(session("batch-" + (batch * 7 + i) % 1000));
                }
                HttpResponse<String> r = post("/v1/events", body.append(']').toString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(r.statusCode() + " " + r.body());
                }
                return null;
            }));
        }
        for (Future<?> f : jobs) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        System.out.printf(
                "batches (POST /v1/events, %d x %d events, %d clients): %.1f s = %.0f events/s%n",
                count, size, concurrency, seconds, count * size / seconds);
        result("batch_events_per_s", count * size / seconds);
    }

    private static double pct(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
