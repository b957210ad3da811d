package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * After a short run, {@code /metrics} shows every family operators need, each with the {@code service}
 * tag, and every series the Grafana dashboard plots exists.
 */
class MetricsTest extends SharedAppTest {

    private static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "dashboards", "pain-journal.json");

    /** One sample line of the Prometheus text format. */
    record Sample(String name, String labels, double value) {}

    static List<Sample> samples(String scrape) {
        List<Sample> samples = new ArrayList<>();
        Pattern line = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+(\\S+)");
        for (String l : scrape.split("\n")) {
            Matcher m = line.matcher(l);
            if (!l.startsWith("#") && m.find()) {
                samples.add(
                        new Sample(m.group(1), m.group(2) == null ? "" : m.group(2), Double.parseDouble(m.group(3))));
            }
        }
        return samples;
    }

    /** The samples of a series in a scrape: those of that name whose labels include all of {@code labels}. */
    private static List<Sample> series(List<Sample> samples, String name, String... labels) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && List.of(labels).stream().allMatch(s.labels()::contains))
                .toList();
    }

    /** The total of a series in a scrape, 0 when it has none yet. */
    private static double total(List<Sample> samples, String name, String... labels) {
        return series(samples, name, labels).stream().mapToDouble(Sample::value).sum();
    }

    /** How much a series grew from one scrape to a later one (it must be in the later one). */
    private static double increase(List<Sample> before, List<Sample> after, String name, String... labels) {
        return sum(after, name, labels) - total(before, name, labels);
    }

    /** The total of a series that must be in the scrape. */
    private static double sum(List<Sample> samples, String name, String... labels) {
        assertFalse(series(samples, name, labels).isEmpty(), "no series " + name + " with " + List.of(labels));
        return total(samples, name, labels);
    }

    @Test
    void everyFamilyIsScrapedWithTheServiceTag() throws Exception {
        String user = "u-metrics";
        String token = TestJwt.token(user, "user");
        // The shared application has served other tests: counters are compared with their values before.
        List<Sample> before = samples(http.get("/metrics", null).body());
        String id = UUID.randomUUID().toString();
        assertEquals(
                202,
                http.postJson("/v1/sessions", token, IngestEndToEndTest.session(id, user, ""))
                        .status());
        assertEquals(
                200,
                http.postJson("/v1/sessions", token, IngestEndToEndTest.session(id, user, ""))
                        .status());
        assertEquals(
                400,
                http.postJson(
                                "/v1/sessions",
                                token,
                                IngestEndToEndTest.session(UUID.randomUUID().toString(), user, ",\"painAfter\":11")
                                        .replace("\"painAfter\":4,", ""))
                        .status());
        assertEquals(400, http.postJson("/v1/pain-scores", token, "{not json").status());
        assertEquals(
                403,
                http.postJson(
                                "/v1/sessions",
                                token,
                                IngestEndToEndTest.session(UUID.randomUUID().toString(), "someone-else", ""))
                        .status());
        TestApps.await("the session counted", Duration.ofSeconds(30), () -> {
            TestHttp.Response r = http.get("/v1/users/" + user + "/techniques", token);
            return r.status() == 200 && r.json().get("techniques").size() == 1;
        });

        // Visibility is reported when the aggregates are flushed (each commit, 100 ms), just after queries see it.
        TestApps.await(
                "freshness recorded",
                Duration.ofSeconds(10),
                () -> samples(http.get("/metrics", null).body()).stream()
                        .anyMatch(s ->
                                s.name().equals("painjournal_analytics_freshness_seconds_count") && s.value() >= 1));
        // The store sizes are RocksDB's estimates, read when scraped: the first write may not be in them yet.
        TestApps.await("state-store sizes estimated", Duration.ofSeconds(10), () -> {
            List<Sample> now = samples(http.get("/metrics", null).body());
            return sum(now, "painjournal_state_store_keys", "store=\"sessions\"") >= 1
                    && sum(now, "painjournal_state_store_keys", "store=\"aggregates\"") >= 1;
        });
        String scrape = http.get("/metrics", null).body();
        List<Sample> samples = samples(scrape);
        for (Sample s : samples) {
            assertTrue(s.labels().contains("service=\"pain-journal\""), "no service tag: " + s);
        }
        // HTTP server requests by route and status
        assertEquals(
                1,
                increase(
                        before, samples, "vertx_http_server_requests_total", "route=\"/v1/sessions\"", "code=\"202\""));
        sum(samples, "vertx_http_server_response_time_seconds_bucket", "route=\"/v1/sessions\"", "le=\"0.05\"");
        // events accepted / duplicate / rejected by type and reason
        String events = "painjournal_ingest_events_total";
        assertEquals(1, increase(before, samples, events, "type=\"session\"", "outcome=\"accepted\""));
        assertEquals(1, increase(before, samples, events, "type=\"session\"", "outcome=\"duplicate\""));
        assertEquals(
                1, increase(before, samples, events, "type=\"session\"", "outcome=\"rejected\"", "reason=\"invalid\""));
        assertEquals(
                1,
                increase(
                        before,
                        samples,
                        events,
                        "type=\"pain-score\"",
                        "outcome=\"rejected\"",
                        "reason=\"malformed\""));
        assertEquals(
                1,
                increase(before, samples, events, "type=\"session\"", "outcome=\"rejected\"", "reason=\"not_yours\""));
        assertEquals(1, increase(before, samples, "painjournal_ingest_sessions_total", "technique=\"tennis-ball\""));
        // Kafka producer (ingest), consumer and Streams (analytics)
        assertTrue(sum(samples, "kafka_producer_record_send_total", "client_id=\"pain-journal-ingest\"") >= 1);
        sum(samples, "kafka_consumer_fetch_manager_records_lag_max");
        assertTrue(sum(samples, "kafka_stream_thread_process_total") >= 1);
        // freshness: accepted → visible
        assertTrue(sum(samples, "painjournal_analytics_freshness_seconds_count") >= 1);
        double seconds = sum(samples, "painjournal_analytics_freshness_seconds_sum");
        assertTrue(seconds > 0 && seconds < 60, "freshness of the first events " + seconds + " s");
        sum(samples, "painjournal_analytics_freshness_seconds_bucket", "le=\"1.0\"");
        // state-store sizes
        assertTrue(sum(samples, "painjournal_state_store_keys", "store=\"sessions\"") >= 1);
        assertTrue(sum(samples, "painjournal_state_store_keys", "store=\"aggregates\"") >= 1);
        assertTrue(sum(samples, "painjournal_state_store_keys", "store=\"ingest-ledger\"") >= 0);
        assertTrue(sum(samples, "painjournal_state_store_disk_bytes", "store=\"analytics\"") > 0);
        assertTrue(sum(samples, "painjournal_state_store_disk_bytes", "store=\"ingest-ledger\"") > 0);
        // JVM
        assertTrue(sum(samples, "jvm_memory_used_bytes", "area=\"heap\"") > 0);
        assertTrue(sum(samples, "jvm_threads_live_threads") > 0);
        assertTrue(sum(samples, "jvm_classes_loaded_classes") > 0);
        assertTrue(sum(samples, "process_uptime_seconds") > 0);
        sum(samples, "process_cpu_usage");

        Set<String> missing = new TreeSet<>(dashboardMetrics());
        samples.forEach(s -> missing.remove(s.name()));
        assertEquals(Set.of(), missing, "the Grafana dashboard plots series /metrics does not have");
    }

    /** The metric names in the Prometheus expressions of the Grafana dashboard. */
    static Set<String> dashboardMetrics() throws Exception {
        JsonNode dashboard = TestHttp.JSON.readTree(Files.readString(DASHBOARD));
        Set<String> names = new TreeSet<>();
        Pattern metric = Pattern.compile("\\b((?:vertx|painjournal|kafka|jvm|process|system)_[a-z0-9_]+)");
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = metric.matcher(target.path("expr").asText());
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        assertFalse(names.isEmpty(), "no expressions found in " + DASHBOARD);
        return names;
    }
}
