package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.painjournal.events.JournalEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Runs the real fat jar as a separate process, as a user would: clean shutdown on SIGTERM, a restart
 * on the same DATA_DIR that keeps every event and still recognises duplicates, and the trial tokens
 * and curl line printed when no secret is configured.
 */
@Execution(ExecutionMode.CONCURRENT) // each test its own jar process (its own JVM and broker) and data
class JarIT {

    @Test
    void restartOnTheSameDataDirKeepsEventsAndRecognisesDuplicates(@TempDir Path tmp) throws Exception {
        Path dataDir = tmp.resolve("data");
        Map<String, String> env = Map.of("JWT_SECRET", TestJwt.SECRET);
        String token = TestJwt.token("u-restart", "user");
        String eventId = UUID.randomUUID().toString();
        String body = IngestEndToEndTest.session(eventId, "u-restart", "");

        JarProcess first = JarProcess.start(dataDir, env, "first");
        String answersBefore;
        try {
            TestHttp http = new TestHttp(first.port());
            assertEquals(202, http.postJson("/v1/sessions", token, body).status());
            // Counted in the population and the personal view alike (answers are kept 100 ms per address).
            TestApps.await("counted", java.time.Duration.ofSeconds(60), () -> {
                String answers = answers(http, token);
                // one person: the population item is there but suppressed (fewer than k people)
                return answers.startsWith("{\"techniques\":[{\"technique\":\"tennis-ball\",\"sessions\":null")
                        && answers.contains("{\"userId\":\"u-restart\",\"techniques\":[{\"technique\":\"tennis-ball\","
                                + "\"sessions\":1")
                        && answers.contains("\"weeks\":[{");
            });
            answersBefore = answers(http, token);
            // A trial's calendar from the shaded jar (ical4j, commons-math3 inside it).
            String trialId = UUID.randomUUID().toString();
            assertEquals(
                    202,
                    http.postJson(
                                    "/v1/users/u-restart/trials",
                                    token,
                                    "{\"trialId\":\"" + trialId + "\",\"techniques\":[\"melt\",\"tennis-ball\"],"
                                            + "\"startDate\":\"2026-10-05\"}")
                            .status());
            TestApps.await(
                    "the trial",
                    java.time.Duration.ofSeconds(30),
                    () -> http.get("/v1/users/u-restart/trials/" + trialId, token)
                                    .status()
                            == 200);
            TestHttp.Response ics = http.get("/v1/users/u-restart/trials/" + trialId + "/calendar.ics", token);
            assertEquals(200, ics.status(), ics.body());
            assertTrue(ics.body().startsWith("BEGIN:VCALENDAR"), ics.body());
            assertEquals(
                    6, ics.body().lines().filter(l -> l.equals("BEGIN:VEVENT")).count());
        } finally {
            first.terminate();
        }

        JarProcess second = JarProcess.start(dataDir, env, "second");
        try {
            TestHttp http = new TestHttp(second.port());
            assertEquals(answersBefore, answers(http, token), "after SIGTERM and a start, the same answers");
            TestHttp.Response again = http.postJson("/v1/sessions", token, body);
            assertEquals(200, again.status(), again.body());
            assertEquals("duplicate", again.json().get("status").asText());
            String later = UUID.randomUUID().toString();
            assertEquals(
                    202,
                    http.postJson("/v1/sessions", token, IngestEndToEndTest.session(later, "u-restart", ""))
                            .status());

            List<String> ids = new ArrayList<>();
            for (ConsumerRecord<String, JournalEvent> r : TestApps.readJournal(
                    second.bootstrap(), io.painjournal.privacy.MasterKey.read(dataDir.resolve("master.key")))) {
                if (r.value() instanceof io.painjournal.events.Session) {
                    ids.add(r.value().eventId());
                }
            }
            assertEquals(List.of(eventId, later), ids, "the first run's event survived, once");
        } finally {
            second.terminate();
        }
    }

    /** The population and the user's own answers without their {@code asOf} ("" while not ready). */
    private static String answers(TestHttp http, String token) {
        StringBuilder all = new StringBuilder();
        for (String path : List.of("/v1/techniques", "/v1/users/u-restart/techniques", "/v1/users/u-restart/trend")) {
            TestHttp.Response r = http.get(path, token);
            if (r.status() != 200) {
                return "";
            }
            com.fasterxml.jackson.databind.node.ObjectNode json =
                    (com.fasterxml.jackson.databind.node.ObjectNode) r.json();
            json.remove("asOf");
            all.append(json).append('\n');
        }
        return all.toString();
    }

    @Test
    void jsonLogsAreOneObjectPerLineAndTheConfigurationIsLoggedWithoutSecrets(@TempDir Path tmp) throws Exception {
        JarProcess run = JarProcess.start(
                tmp.resolve("data"),
                Map.of("JWT_SECRET", TestJwt.SECRET, "LOG_FORMAT", "json", "LOG_LEVEL", "debug"),
                "json");
        try {
            String token = TestJwt.token("u-json", "user");
            TestHttp http = new TestHttp(run.port());
            assertEquals(
                    202,
                    http.postJson(
                                    "/v1/sessions",
                                    token,
                                    IngestEndToEndTest.session(UUID.randomUUID().toString(), "u-json", ""))
                            .status());
            TestHttp.Response techniques =
                    http.getWith("/v1/users/u-json/techniques", token, "X-Request-Id", "jar-probe-1");
            assertEquals(200, techniques.status(), techniques.body());
            assertEquals(
                    "jar-probe-1",
                    techniques.headers().firstValue("X-Request-Id").orElse(null));
            String made = http.get("/v1/catalogue", token)
                    .headers()
                    .firstValue("X-Request-Id")
                    .orElseThrow();
            assertTrue(made.matches("[0-9a-f]{32}"), made);
            TestApps.await("the request's log lines", Duration.ofSeconds(10), () -> {
                try {
                    return run.err()
                                    .lines()
                                    .filter(l -> l.contains("\"requestId\":\"jar-probe-1\""))
                                    .count()
                            >= 2;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } finally {
            run.terminate();
        }
        List<String> lines = run.err().lines().filter(l -> !l.isBlank()).toList();
        assertTrue(lines.size() > 3, run.err());
        int configurations = 0;
        for (String line : lines) {
            com.fasterxml.jackson.databind.JsonNode json = TestHttp.JSON.readTree(line);
            for (String field : List.of("time", "level", "logger", "thread", "message")) {
                assertTrue(json.hasNonNull(field), field + " missing in " + line);
            }
            if (json.get("message").asText().startsWith("configuration: ")) {
                configurations++;
                assertTrue(line.contains("LOG_FORMAT=json") && line.contains("JWT_*=HS256 shared secret"), line);
            }
        }
        assertEquals(1, configurations, "the configuration is logged once");
        List<com.fasterxml.jackson.databind.JsonNode> probe = new java.util.ArrayList<>();
        for (String line : lines) {
            com.fasterxml.jackson.databind.JsonNode json = TestHttp.JSON.readTree(line);
            if ("jar-probe-1".equals(json.path("requestId").asText(null))) {
                probe.add(json);
            }
        }
        assertTrue(
                probe.stream().anyMatch(j -> j.get("thread").asText().contains("worker")),
                "a line written on a worker thread for the request carries its id: " + probe);
        assertTrue(
                probe.stream()
                        .anyMatch(j -> j.get("thread").asText().contains("eventloop")
                                && j.get("message").asText().contains("/v1/users/:userId/techniques 200")),
                "the request's access line carries it, with the route, not the user's id: " + probe);
        assertTrue(probe.stream().noneMatch(j -> j.toString().contains("u-json")), "no user id: " + probe);
        assertTrue(!run.err().contains(TestJwt.SECRET), "the secret is never logged");
    }

    @Test
    void withoutASecretItPrintsWorkingTokensAndACurlToTry(@TempDir Path tmp) throws Exception {
        JarProcess run = JarProcess.start(tmp.resolve("data"), Map.of(), "trial");
        try {
            String out = run.out();
            Matcher user = Pattern.compile("USER_TOKEN=(\\S+)").matcher(out);
            Matcher researcher = Pattern.compile("RESEARCHER_TOKEN=(\\S+)").matcher(out);
            assertTrue(user.find() && researcher.find(), out);
            int curl = out.indexOf("curl ");
            assertTrue(curl > 0, out);
            String command = out.substring(curl, out.indexOf("=====", curl)).trim();
            Process p = new ProcessBuilder(
                            "bash", "-c", command.replace("curl -i", "curl -s -o /dev/null -w '%{http_code}'"))
                    .redirectErrorStream(true)
                    .start();
            String status = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals("202", status.trim(), "the printed curl works as printed: " + command);
            assertTrue(out.contains("http://localhost:" + run.port() + "/"), "the dashboard's address is printed");
            TestHttp http = new TestHttp(run.port());
            TestHttp.Response page = http.get("/", null);
            assertEquals(200, page.status());
            assertTrue(page.contentType().startsWith("text/html") && page.body().contains("/ui/app.js"), page.body());
            for (String file : List.of(
                    "/ui/app.js",
                    "/ui/api.js",
                    "/ui/render.js",
                    "/ui/style.css",
                    "/ui/vendor/uPlot.esm.js",
                    "/ui/vendor/uPlot.min.css")) {
                assertEquals(200, http.get(file, null).status(), file + " is in the jar");
            }
        } finally {
            run.terminate();
        }
    }
}
