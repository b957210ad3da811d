package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Against a real Kafka broker in a container (the image docker-compose.yml runs), nothing embedded:
 * the services split by role, and a single all-roles process. Needs a Docker engine; where there is
 * none the class is skipped, not failed ({@link SplitRolesTest} runs the same scenario on the embedded
 * broker everywhere).
 */
@Testcontainers(disabledWithoutDocker = true)
class SplitRolesKafkaIT {

    /** The broker version docker-compose.yml runs, matching the Kafka client. */
    static final String KAFKA_IMAGE = "apache/kafka:4.4.0";

    /** A fresh broker per test, so one test's events are not in another's answers. */
    @Container
    final KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE);

    @Test
    void theJournalScenarioRunsThroughSeparateServicesOnARealBroker(
            @TempDir Path ingest, @TempDir Path analytics1, @TempDir Path analytics2, @TempDir Path api)
            throws Exception {
        SplitScenario.run(Optional.of(kafka.getBootstrapServers()), ingest, analytics1, analytics2, api);
    }

    @Test
    void ingestPublishesToTheExternalCluster(@TempDir Path dataDir) throws Exception {
        Map<String, String> env = TestApps.env(dataDir);
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.getBootstrapServers());
        try (Application app = TestApps.start(env)) {
            TestHttp http = new TestHttp(app.config().httpPort());
            String id = UUID.randomUUID().toString();
            String token = TestJwt.token("u-ext", "user");
            assertEquals(
                    202,
                    http.postJson("/v1/sessions", token, IngestEndToEndTest.session(id, "u-ext", ""))
                            .status());
            assertEquals(
                    200,
                    http.postJson("/v1/sessions", token, IngestEndToEndTest.session(id, "u-ext", ""))
                            .status());
            assertEquals(
                    List.of(id),
                    TestApps.readJournal(kafka.getBootstrapServers()).stream()
                            .map(r -> r.value().eventId())
                            .filter(id::equals)
                            .toList());
        }
    }
}
