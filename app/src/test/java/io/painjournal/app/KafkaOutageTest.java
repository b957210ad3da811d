package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With an external cluster (KAFKA_BOOTSTRAP_SERVERS set, nothing embedded) that goes away mid-run: ingest
 * answers 503 with Retry-After within its delivery timeout to every request at once (no hanging requests,
 * no pile-up of threads), readiness drops, and when the broker is back everything resumes without a
 * restart: new events are accepted and counted, and every event acknowledged before, during and after
 * the outage is counted exactly once.
 */
class KafkaOutageTest {

    static final int CONCURRENT = 16;

    @Test
    void aBrokerOutageIs503WithRetryAfterAndEverythingResumesWhenItIsBack(
            @TempDir Path brokerDir, @TempDir Path dataDir) throws Exception {
        int brokerPort = TestApps.freePort();
        EmbeddedKafka broker = EmbeddedKafka.start(brokerDir, brokerPort);
        Map<String, String> env = TestApps.env(dataDir);
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("KAFKA_DELIVERY_TIMEOUT_MS", "2000");
        List<String> acknowledged = new ArrayList<>();
        try (Application app = TestApps.start(env)) {
            TestHttp http = new TestHttp(app.config().httpPort());
            String admin = TestJwt.token("ops", "admin");
            ExecutorService clients = Executors.newFixedThreadPool(CONCURRENT);
            // The same burst as during the outage, to start the threads a burst normally takes.
            List<CompletableFuture<String>> warm = new ArrayList<>();
            for (int i = 0; i < CONCURRENT; i++) {
                String user = "before-" + i;
                warm.add(CompletableFuture.supplyAsync(() -> postAccepted(http, admin, user), clients));
            }
            for (CompletableFuture<String> f : warm) {
                acknowledged.add(f.get());
            }
            awaitCounted(http, admin, acknowledged, () -> "");

            broker.close();
            int threadsBefore = serverThreads();
            long start = System.nanoTime();
            List<CompletableFuture<TestHttp.Response>> during = new ArrayList<>();
            for (int i = 0; i < CONCURRENT; i++) {
                String user = "during-" + i;
                during.add(CompletableFuture.supplyAsync(
                        () -> http.postJson(
                                "/v1/sessions",
                                admin,
                                IngestEndToEndTest.session(UUID.randomUUID().toString(), user, "")),
                        clients));
            }
            java.util.concurrent.atomic.AtomicInteger most =
                    new java.util.concurrent.atomic.AtomicInteger(threadsBefore);
            TestApps.polling("every request during the outage answered", Duration.ofSeconds(60), Duration.ofMillis(10))
                    .until(() -> {
                        most.accumulateAndGet(serverThreads(), Math::max); // threads sampled while they wait
                        return during.stream().allMatch(CompletableFuture::isDone);
                    });
            int threadsDuring = most.get();
            for (CompletableFuture<TestHttp.Response> f : during) {
                TestHttp.Response r = f.get();
                assertEquals(503, r.status(), r.body());
                assertEquals("application/problem+json", r.contentType());
                assertEquals("5", r.headers().firstValue("Retry-After").orElse(""));
            }
            Duration answered = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(
                    answered.compareTo(Duration.ofSeconds(10)) < 0,
                    CONCURRENT + " requests during the outage all answered in " + answered + ", none hanging");
            assertTrue(
                    threadsDuring - threadsBefore < 5,
                    "no pile-up of threads: " + threadsBefore + " -> " + threadsDuring);
            clients.shutdown();
            TestHttp.Response ready = http.get("/health/ready", null);
            assertEquals(503, ready.status(), ready.body());
            assertTrue(ready.json().get("checks").get("kafka").asText().startsWith("DOWN"));
            // What was accepted before the outage is still known: a re-post is a duplicate, not a 503.
            assertEquals(
                    200,
                    http.postJson(
                                    "/v1/sessions",
                                    admin,
                                    IngestEndToEndTest.session(acknowledged.get(0), "before-0", ""))
                            .status());

            long back = System.nanoTime();
            broker = EmbeddedKafka.start(brokerDir, brokerPort);
            TestApps.await(
                    "ready again",
                    Duration.ofSeconds(120),
                    () -> http.get("/health/ready", null).status() == 200);
            String after = UUID.randomUUID().toString();
            TestApps.await(
                    "an event accepted again",
                    Duration.ofSeconds(60),
                    () -> http.postJson("/v1/sessions", admin, IngestEndToEndTest.session(after, "after-0", ""))
                                    .status()
                            == 202);
            acknowledged.add(after);
            Duration recovery = Duration.ofNanos(System.nanoTime() - back);
            for (int i = 1; i < CONCURRENT; i++) {
                acknowledged.add(postAccepted(http, admin, "after-" + i));
            }
            String bootstrap = broker.bootstrapServers();
            awaitCounted(http, admin, acknowledged, () -> offsets(bootstrap));
            System.out.printf(
                    "KafkaOutageTest: %d requests during the outage answered 503 in %d ms (delivery "
                            + "timeout 2000 ms), threads %d -> %d; broker back: ready and accepting again in %d ms; "
                            + "%d acknowledged events counted once each%n",
                    CONCURRENT,
                    answered.toMillis(),
                    threadsBefore,
                    threadsDuring,
                    recovery.toMillis(),
                    acknowledged.size());
        } finally {
            broker.close();
        }
    }

    /** Threads of the process other than this test's own clients (the server's, Kafka's, the JVM's). */
    private static int serverThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !t.getName().startsWith("pool-") && !t.getName().startsWith("HttpClient"))
                .count();
    }

    private static String postAccepted(TestHttp http, String token, String user) {
        String eventId = UUID.randomUUID().toString();
        TestHttp.Response r = http.postJson("/v1/sessions", token, IngestEndToEndTest.session(eventId, user, ""));
        assertEquals(202, r.status(), r.body());
        return eventId;
    }

    /**
     * Every acknowledged event counted once: the users are before-*, after-* (one event each, the
     * outage's 503s never counted), so the population holds exactly that many sessions.
     */
    /**
     * Per partition of the keys topic and the journal: the last stable offset (what read-committed readers
     * see) against the high watermark, and the open transactions holding it back.
     */
    static String offsets(String bootstrap) {
        StringBuilder out = new StringBuilder();
        for (String isolation : List.of("read_committed", "read_uncommitted")) {
            try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> c =
                    new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                            Map.of("bootstrap.servers", bootstrap, "isolation.level", isolation),
                            new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
                List<org.apache.kafka.common.TopicPartition> partitions = new ArrayList<>();
                for (String topic :
                        List.of(io.painjournal.topics.Topics.KEYS_NAME, io.painjournal.topics.Topics.JOURNAL.name())) {
                    c.partitionsFor(topic)
                            .forEach(p ->
                                    partitions.add(new org.apache.kafka.common.TopicPartition(topic, p.partition())));
                }
                out.append(isolation)
                        .append(' ')
                        .append(new java.util.TreeMap<>(c.endOffsets(partitions).entrySet().stream()
                                .collect(java.util.stream.Collectors.toMap(
                                        e -> e.getKey().toString(), java.util.Map.Entry::getValue))))
                        .append("; ");
            } catch (RuntimeException e) {
                out.append(isolation).append(": ").append(e).append("; ");
            }
        }
        try (org.apache.kafka.clients.admin.Admin admin =
                org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            List<org.apache.kafka.common.TopicPartition> keys = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                keys.add(new org.apache.kafka.common.TopicPartition(io.painjournal.topics.Topics.KEYS_NAME, p));
            }
            admin.describeProducers(keys)
                    .all()
                    .get()
                    .forEach((tp, d) -> out.append(tp)
                            .append(" producers ")
                            .append(d.activeProducers())
                            .append("; "));
            out.append("transactions ").append(admin.listTransactions().all().get());
        } catch (Exception e) {
            out.append("admin: ").append(e);
        }
        return out.toString();
    }

    private static void awaitCounted(
            TestHttp http, String token, List<String> acknowledged, java.util.function.Supplier<String> kafka)
            throws Exception {
        TestApps.await(
                acknowledged.size() + " sessions counted",
                Duration.ofSeconds(120),
                () -> {
                    TestHttp.Response r = http.get("/v1/techniques", token);
                    if (r.status() != 200) {
                        return false;
                    }
                    int sessions = 0;
                    for (JsonNode t : r.json().get("techniques")) {
                        sessions += t.get("sessions").asInt();
                    }
                    assertTrue(sessions <= acknowledged.size(), "never more than acknowledged: " + sessions);
                    return sessions == acknowledged.size();
                },
                () -> "(answer " + http.get("/v1/techniques", token).body() + "; stores "
                        + MetricsTest.samples(http.get("/metrics", null).body()).stream()
                                .filter(m -> m.name().equals("painjournal_state_store_keys"))
                                .map(m -> m.labels().replaceAll(".*store=\"([^\"]*)\".*", "$1") + "=" + m.value())
                                .toList()
                        + "; " + kafka.get() + ")");
    }
}
