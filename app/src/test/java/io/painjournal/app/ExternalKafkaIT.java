package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Against a real, separate Kafka (KAFKA_BOOTSTRAP_SERVERS set: nothing embedded). Needs a Docker
 * engine; where there is none the class is skipped, not failed.
 */
@Testcontainers(disabledWithoutDocker = true)
class ExternalKafkaIT {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.0");

    @Test
    void ingestPublishesToTheExternalCluster(@TempDir Path dataDir) throws Exception {
        Map<String, String> env = TestApps.env(dataDir);
        env.put("KAFKA_BOOTSTRAP_SERVERS", KAFKA.getBootstrapServers());
        try (Application app = TestApps.start(env)) {
            TestHttp http = new TestHttp(app.config().httpPort());
            String id = UUID.randomUUID().toString();
            String token = TestJwt.token("u-ext", "user");
            assertEquals(202, http.postJson("/v1/sessions", token, IngestEndToEndTest.session(id, "u-ext", "")).status());
            assertEquals(200, http.postJson("/v1/sessions", token, IngestEndToEndTest.session(id, "u-ext", "")).status());
            assertEquals(List.of(id), TestApps.readJournal(KAFKA.getBootstrapServers()).stream()
                    .map(r -> r.value().eventId()).toList());
        }
    }
}
