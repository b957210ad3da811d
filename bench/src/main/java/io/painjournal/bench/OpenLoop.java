package io.painjournal.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A sustained open-loop load of single events ({@code POST /v1/sessions}) at a constant arrival rate,
 * with freshness probes running through it: the way wrk2 measures, written here because Debian has no
 * wrk2.
 *
 * <p>Request {@code i} is due at {@code start + i / rate}, whether or not earlier ones have been answered
 * (they wait in the client's queue for one of {@code connections} connections), and its latency is counted
 * from when it was due, not from when it could be sent. A server that stalls therefore shows its stall in
 * every request that arrived during it, which is what a closed-loop generator such as wrk hides
 * ("coordinated omission"). Latencies go into an HdrHistogram (1 µs to 60 s, 3 significant digits).
 *
 * <p>Meanwhile a probe posts a {@code melt} session (the load posts every technique but melt), and polls
 * {@code GET /v1/techniques} until the melt count has grown: the time from its {@code 202} to the first answer
 * that counts it is one freshness sample. Probes run one after the other for the whole phase.
 *
 * <p>Usage: {@code OpenLoop <baseUrl> <adminToken> <events per second> <seconds> <connections> [readUrl]}
 * ({@code readUrl}, where the probes read {@code GET /v1/techniques}, defaults to {@code baseUrl}; the split
 * deployment posts to ingest and reads from api). Prints
 * {@code RESULT name value} lines: {@code open_*} for the load, {@code open_freshness_*} for the probes. A
 * {@code 503} (admission control, {@code INGEST_MAX_ANALYTICS_LAG}) is counted as refused, not failed; the load
 * does not retry it (its latency is that of the refusal, and {@code open_accepted_*} is the latency of the 202s
 * alone), a probe retries it after {@code Retry-After}, and its freshness counts from the 202.
 */
public final class OpenLoop {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The load posts every technique but melt, which the freshness probes post. */
    private static final String[] TECHNIQUES =
            Scale.TECHNIQUES.stream().filter(t -> !t.equals("melt")).toArray(String[]::new);

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        String token = args[1];
        double rate = Double.parseDouble(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int connections = Integer.parseInt(args[4]);
        URI readBase = args.length > 5 ? URI.create(args[5]) : base;

        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        HttpClient client = vertx.createHttpClient(
                new HttpClientOptions()
                        .setDefaultHost(base.getHost())
                        .setDefaultPort(base.getPort())
                        .setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
        String auth = "Bearer " + token;

        Recorder latencies = new Recorder(TimeUnit.SECONDS.toMicros(60), 3);
        Recorder acceptedLatencies = new Recorder(TimeUnit.SECONDS.toMicros(60), 3);
        AtomicLong ok = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        AtomicLong outstanding = new AtomicLong();

        Probe probe = new Probe(base, readBase, auth);
        Thread probes = new Thread(probe, "freshness-probe");

        // The first warmSeconds are the same load, unrecorded: the generator's own JIT warms up.
        int warmSeconds = Math.max(5, seconds / 4);
        long total = (long) (rate * (warmSeconds + seconds));
        long intervalNanos = (long) (1e9 / rate);
        long start = System.nanoTime();
        long measuredFrom = start + TimeUnit.SECONDS.toNanos(warmSeconds);
        probe.from = measuredFrom;
        probe.until = start + TimeUnit.SECONDS.toNanos(warmSeconds + seconds);
        probes.start();
        // One event loop sends: a timer every millisecond queues every request whose time has come, and each
        // of the connections takes the next queued request as soon as it is free (wrk2's model: at most one
        // request per connection in flight, the rest wait in this queue, and their wait is counted).
        java.util.concurrent.CountDownLatch sent = new java.util.concurrent.CountDownLatch(1);
        io.vertx.core.Context context = vertx.getOrCreateContext();
        context.runOnContext(v -> {
            java.util.ArrayDeque<Long> queue = new java.util.ArrayDeque<>();
            long[] next = {0};
            int[] busy = {0};
            Runnable[] pump = new Runnable[1];
            pump[0] = () -> {
                // once the run has ended, requests still queued stay unanswered (counted as failed) and none
                // is sent on the closing client
                while (!stopping.get() && busy[0] < connections && !queue.isEmpty()) {
                    long due = queue.poll();
                    busy[0]++;
                    post(client, auth, "/v1/sessions", loadSession()).onComplete(ar -> {
                        if (due >= measuredFrom) {
                            long micros = Math.min((System.nanoTime() - due) / 1000, TimeUnit.SECONDS.toMicros(60));
                            latencies.recordValue(micros);
                            if (ar.succeeded() && ar.result() == 202) {
                                ok.incrementAndGet();
                                acceptedLatencies.recordValue(micros);
                            } else if (ar.succeeded() && ar.result() == 503) {
                                refused.incrementAndGet(); // admission control or overload: the client would retry
                            } else {
                                failed.incrementAndGet();
                            }
                        }
                        busy[0]--;
                        outstanding.decrementAndGet();
                        pump[0].run();
                    });
                }
            };
            vertx.setPeriodic(1, timer -> {
                long now = System.nanoTime();
                while (next[0] < total && start + next[0] * intervalNanos <= now) {
                    queue.add(start + next[0] * intervalNanos);
                    next[0]++;
                    outstanding.incrementAndGet();
                }
                pump[0].run();
                if (next[0] >= total) {
                    vertx.cancelTimer(timer);
                    sent.countDown();
                }
            });
        });
        sent.await();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (outstanding.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        double elapsed = (System.nanoTime() - measuredFrom) / 1e9;
        probes.join(TimeUnit.SECONDS.toMillis(40));
        Histogram h = latencies.getIntervalHistogram();
        Histogram a = acceptedLatencies.getIntervalHistogram();

        System.out.printf(
                "open loop: %.0f events/s offered for %d s over %d connections; %d accepted, %d refused (503), "
                        + "%d failed, %d unanswered; %.0f/s achieved; latency (from due time) p50 %.2f ms, p99 %.2f ms, "
                        + "max %.1f ms%n",
                rate,
                seconds,
                connections,
                ok.get(),
                refused.get(),
                failed.get(),
                outstanding.get(),
                ok.get() / elapsed,
                h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0,
                h.getMaxValue() / 1000.0);
        Histogram f = probe.samples;
        System.out.printf(
                "freshness under it (202 -> counted in GET /v1/techniques), %d samples: p50 %.0f ms, p99 %.0f ms,"
                        + " max %.0f ms%n",
                f.getTotalCount(),
                f.getValueAtPercentile(50) / 1000.0,
                f.getValueAtPercentile(99) / 1000.0,
                f.getMaxValue() / 1000.0);
        Bench.result("open_offered_per_s", rate);
        Bench.result("open_accepted", ok.get());
        Bench.result("open_achieved_per_s", ok.get() / elapsed);
        Bench.result("open_failed", failed.get() + outstanding.get());
        Bench.result("open_p50_ms", h.getValueAtPercentile(50) / 1000.0);
        Bench.result("open_p99_ms", h.getValueAtPercentile(99) / 1000.0);
        Bench.result("open_max_ms", h.getMaxValue() / 1000.0);
        Bench.result("open_refused", refused.get());
        Bench.result("open_accepted_p50_ms", a.getValueAtPercentile(50) / 1000.0);
        Bench.result("open_accepted_p99_ms", a.getValueAtPercentile(99) / 1000.0);
        Bench.result("open_probe_refused", probe.refused);
        Bench.result("open_freshness_samples", f.getTotalCount());
        Bench.result("open_freshness_p50_ms", f.getValueAtPercentile(50) / 1000.0);
        Bench.result("open_freshness_p99_ms", f.getValueAtPercentile(99) / 1000.0);
        Bench.result("open_freshness_max_ms", f.getMaxValue() / 1000.0);
        Bench.result("open_probe_melt_posted", probe.posted);
        Bench.result("open_freshness_timed_out", probe.timedOut ? 1 : 0);
        stopping.set(true);
        client.close().await();
        vertx.close().await();
        if (probe.failure != null) {
            throw new IllegalStateException("freshness probe failed", probe.failure);
        }
    }

    private static Future<Integer> post(HttpClient client, String auth, String path, String body) {
        return client.request(new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setURI(path)
                        .putHeader("Authorization", auth)
                        .putHeader("Content-Type", "application/json"))
                .compose(request -> request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(b -> response.statusCode()));
    }

    private static String loadSession() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int before = r.nextInt(3, 10);
        return "{\"eventId\":\"" + new UUID(r.nextLong(), r.nextLong()) + "\",\"userId\":\"bench-"
                + r.nextInt(1, 1001) + "\",\"technique\":\"" + TECHNIQUES[r.nextInt(TECHNIQUES.length)]
                + "\",\"startedAt\":\"2026-11-" + String.format("%02d", r.nextInt(1, 21))
                + "T18:30:00Z\",\"durationMinutes\":" + r.nextInt(5, 61) + ",\"painBefore\":" + before
                + ",\"painAfter\":" + r.nextInt(0, before + 1) + "}";
    }

    /** Freshness probes, one after the other from {@link #from} until {@link #until}, over a connection of their own. */
    private static final class Probe implements Runnable {
        /** A probe not counted by then is recorded as this long (a lower bound) and probing stops. */
        static final Duration TIMEOUT = Duration.ofSeconds(60);

        private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        private final URI base;
        private final URI readBase;
        private final String auth;
        final Histogram samples = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        volatile long from;
        volatile long until;
        volatile long posted;
        /** Probe posts answered 503 (admission control), each retried after its Retry-After as a client would. */
        volatile long refused;

        volatile boolean timedOut;
        volatile Throwable failure;

        Probe(URI base, URI readBase, String auth) {
            this.base = base;
            this.readBase = readBase;
            this.auth = auth;
        }

        @Override
        public void run() {
            try {
                while (System.nanoTime() < from) {
                    Thread.sleep(10);
                }
                long initial;
                while ((initial = meltSessions()) < 0) {
                    Thread.sleep(20);
                }
                while (System.nanoTime() < until) {
                    String body = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"userId\":\"fresh-" + (posted % 50)
                            + "\",\"technique\":\"melt\",\"startedAt\":\""
                            + Instant.now().minusSeconds(3600)
                            + "\",\"durationMinutes\":10,\"painBefore\":7,\"painAfter\":4}";
                    java.net.http.HttpResponse<String> r = http.send(
                            java.net.http.HttpRequest.newBuilder(base.resolve("/v1/sessions"))
                                    .timeout(Duration.ofSeconds(30))
                                    .header("Authorization", auth)
                                    .header("Content-Type", "application/json")
                                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 503) { // freshness counts from the 202: retry as a client would
                        refused++;
                        long after = r.headers()
                                .firstValue("Retry-After")
                                .map(Long::parseLong)
                                .orElse(1L);
                        Thread.sleep(TimeUnit.SECONDS.toMillis(after));
                        continue;
                    }
                    if (r.statusCode() != 202) {
                        throw new IllegalStateException("probe post answered " + r.statusCode() + " " + r.body());
                    }
                    long accepted = System.nanoTime();
                    posted++;
                    long deadline = accepted + TIMEOUT.toNanos();
                    while (meltSessions() < initial + posted && System.nanoTime() < deadline) {
                        Thread.sleep(2);
                    }
                    samples.recordValue(Math.min((System.nanoTime() - accepted) / 1000, TIMEOUT.toMillis() * 1000));
                    if (System.nanoTime() >= deadline) {
                        timedOut = true; // counted as the timeout, a lower bound; the next probe would wait behind it
                        return;
                    }
                    Thread.sleep(20);
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        /** The melt sessions the population answer counts; -1 when it does not answer 200 (e.g. 503 while rebalancing). */
        private long meltSessions() throws Exception {
            java.net.http.HttpResponse<String> r = http.send(
                    java.net.http.HttpRequest.newBuilder(readBase.resolve("/v1/techniques"))
                            .timeout(Duration.ofSeconds(30))
                            .header("Authorization", auth)
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return -1;
            }
            long melt = 0;
            for (JsonNode t : JSON.readTree(r.body()).path("techniques")) {
                if (t.get("technique").asText().equals("melt")) {
                    melt = t.get("sessions").asLong();
                }
            }
            return melt;
        }
    }
}
