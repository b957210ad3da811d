package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.utils.internals.AppInfoParser;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml, the Prometheus configuration and the tests agree with each other and with the
 * code: every app service is scraped, the broker image is the Kafka client's version, every role runs
 * somewhere, the api is told of every analytics instance, each analytics instance advertises its own
 * name, and every variable set is one the process reads. (`docker-compose config` in CI checks syntax.)
 */
class DeploymentFilesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** docker-compose.yml with its anchors and merge keys resolved (SnakeYAML does; Jackson's parser does not). */
    private static JsonNode compose() throws Exception {
        try (java.io.Reader in = java.nio.file.Files.newBufferedReader(Path.of("..", "docker-compose.yml"))) {
            Object tree = new org.yaml.snakeyaml.Yaml().load(in);
            return new ObjectMapper().valueToTree(tree);
        }
    }

    @Test
    void composePrometheusAndCodeAgree() throws Exception {
        JsonNode services = compose().get("services");
        Map<String, JsonNode> apps = new TreeMap<>();
        services.fields().forEachRemaining(s -> {
            if (s.getValue().path("environment").has("ROLES")) {
                apps.put(s.getKey(), s.getValue());
            }
        });
        assertEquals(Set.of("ingest", "analytics-1", "analytics-2", "api"), apps.keySet());

        String kafkaImage = services.get("kafka").get("image").asText();
        assertEquals("apache/kafka:" + AppInfoParser.getVersion(), kafkaImage, "broker version = client version");
        assertEquals(kafkaImage, SplitRolesKafkaIT.KAFKA_IMAGE, "the Testcontainers IT runs the same broker");

        Set<String> roles = new TreeSet<>();
        List<String> analytics = new ArrayList<>();
        Set<String> readable = AppConfigTest.variablesRead();
        for (Map.Entry<String, JsonNode> app : apps.entrySet()) {
            JsonNode env = app.getValue().get("environment");
            env.fieldNames()
                    .forEachRemaining(name -> assertTrue(
                            readable.contains(name), app.getKey() + " sets " + name + ", which nothing reads"));
            String role = env.get("ROLES").asText();
            roles.add(role);
            assertEquals("kafka:9092", env.get("KAFKA_BOOTSTRAP_SERVERS").asText(), app.getKey());
            assertEquals(role, env.get("SERVICE_NAME").asText(), app.getKey() + " metrics are tagged by role");
            assertEquals("/keys/master.key", env.get("MASTER_KEY_FILE").asText(), app.getKey() + " shares the key");
            assertTrue(app.getValue().get("volumes").toString().contains("master-key:/keys:ro"), app.getKey());
            assertEquals(
                    "service_completed_successfully",
                    app.getValue()
                            .path("depends_on")
                            .path("keygen")
                            .path("condition")
                            .asText(),
                    app.getKey() + " starts once the key is there");
            if (role.equals("analytics")) {
                analytics.add("http://" + app.getKey() + ":8080");
                assertEquals(app.getKey(), env.get("ADVERTISED_HOST").asText(), "peers reach it by its name");
            }
        }
        assertEquals(Set.of("ingest", "analytics", "api"), roles);
        assertEquals(
                String.join(",", analytics),
                apps.get("api").get("environment").get("ANALYTICS_URL").asText(),
                "the api knows every analytics instance");

        JsonNode prometheus = YAML.readTree(
                Path.of("..", "deploy", "prometheus", "prometheus.yml").toFile());
        Set<String> targets = new TreeSet<>();
        for (JsonNode job : prometheus.get("scrape_configs")) {
            assertEquals("/metrics", job.get("metrics_path").asText());
            job.get("static_configs").forEach(c -> c.get("targets").forEach(t -> targets.add(t.asText())));
        }
        Set<String> expected = new TreeSet<>();
        apps.keySet().forEach(name -> expected.add(name + ":8080"));
        assertEquals(expected, targets, "Prometheus scrapes every app service");
        assertTrue(services.get("grafana").toString().contains("./deploy/grafana/dashboards"));
    }
}
