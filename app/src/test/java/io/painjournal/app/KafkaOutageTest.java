package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With an external cluster (KAFKA_BOOTSTRAP_SERVERS set, nothing embedded) that goes away, ingest
 * answers 503 with Retry-After within the delivery timeout instead of hanging, and readiness drops.
 */
class KafkaOutageTest {

    @Test
    void whenKafkaIsGoneIngestAnswers503WithRetryAfterQuickly(@TempDir Path brokerDir, @TempDir Path dataDir)
            throws Exception {
        EmbeddedKafka broker = EmbeddedKafka.start(brokerDir);
        Map<String, String> env = TestApps.env(dataDir);
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("KAFKA_DELIVERY_TIMEOUT_MS", "2000");
        env.put("ROLES", "ingest");
        boolean brokerClosed = false;
        try (Application app = TestApps.start(env)) {
            TestHttp http = new TestHttp(app.config().httpPort());
            String token = TestJwt.token("u-outage", "user");
            String before = UUID.randomUUID().toString();
            assertEquals(202, http.postJson("/v1/sessions", token,
                    IngestEndToEndTest.session(before, "u-outage", "")).status());
            TestApps.await("ready", Duration.ofSeconds(30), () -> http.get("/health/ready", null).status() == 200);

            broker.close();
            brokerClosed = true;

            long start = System.nanoTime();
            TestHttp.Response r = http.postJson("/v1/sessions", token,
                    IngestEndToEndTest.session(UUID.randomUUID().toString(), "u-outage", ""));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(503, r.status(), r.body());
            assertEquals("application/problem+json", r.contentType());
            assertEquals("5", r.headers().firstValue("Retry-After").orElse(""));
            assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "answered in " + took + ", not a hang");

            TestHttp.Response ready = http.get("/health/ready", null);
            assertEquals(503, ready.status(), ready.body());
            assertTrue(ready.json().get("checks").get("kafka").asText().startsWith("DOWN"));

            // What was accepted before the outage is still known: a re-post is a duplicate, not a 503.
            assertEquals(200, http.postJson("/v1/sessions", token,
                    IngestEndToEndTest.session(before, "u-outage", "")).status());
        } finally {
            if (!brokerClosed) {
                broker.close();
            }
        }
    }
}
