package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.painjournal.analytics.query.InternalApi;
import io.painjournal.analytics.query.InternalTokens;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.mediatype.ContentAnalyser;
import io.vertx.openapi.mediatype.MediaTypeRegistration;
import io.vertx.openapi.mediatype.MediaTypeRegistry;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import io.vertx.openapi.validation.ValidationContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document the server serves agrees with the server: it is a valid OpenAPI 3.1 contract,
 * every route the server has is documented, every documented operation is served, the contract's
 * paths are all there, and real answers match the documented response schemas.
 */
class OpenApiTest extends SharedAppTest {

    /** Every path of API.md. */
    private static final Set<String> CONTRACT = Set.of(
            "/v1/sessions",
            "/v1/pain-scores",
            "/v1/events",
            "/v1/catalogue",
            "/v1/techniques",
            "/v1/techniques/{technique}/trend",
            "/v1/users/{userId}/techniques",
            "/v1/users/{userId}/trend",
            "/v1/users/{userId}/journal",
            "/v1/research/trends",
            "/v1/users/{userId}",
            "/v1/users/{userId}/trials",
            "/v1/trials/summary",
            "/v1/users/{userId}/trials/{trialId}/report.pdf",
            "/v1/users/{userId}/trials/{trialId}",
            "/v1/users/{userId}/trials/{trialId}/calendar.ics",
            "/health/live",
            "/health/ready",
            "/metrics",
            "/openapi.yaml");

    private JsonNode served() throws Exception {
        TestHttp.Response doc = http.get("/openapi.yaml", null);
        assertEquals(200, doc.status());
        assertEquals("application/yaml", doc.contentType());
        return new ObjectMapper(new YAMLFactory()).readTree(doc.body());
    }

    /** {@code METHOD /path/{param}} of every operation in the document. */
    private static Set<String> documentedOperations(JsonNode openApi) {
        Set<String> operations = new TreeSet<>();
        openApi.get("paths")
                .fields()
                .forEachRemaining(path -> path.getValue()
                        .fieldNames()
                        .forEachRemaining(method -> operations.add(method.toUpperCase() + " " + path.getKey())));
        return operations;
    }

    @Test
    void everyRouteOfTheServerIsDocumentedAndEveryContractPathToo() throws Exception {
        JsonNode openApi = served();
        Set<String> documentedPaths = new TreeSet<>();
        openApi.get("paths").fieldNames().forEachRemaining(documentedPaths::add);
        assertTrue(documentedPaths.containsAll(CONTRACT), "missing: " + diff(CONTRACT, documentedPaths));

        Set<String> routed = new TreeSet<>();
        for (io.painjournal.web.Route route : app.routes()) {
            // Routes of any method (the dashboard's files) are not operations of the API.
            if (route.method() != null) {
                routed.add(route.method().name() + " " + route.path().replaceAll(":([A-Za-z]+)", "{$1}"));
            }
        }
        assertTrue(routed.size() >= 18, routed.toString());
        assertEquals(Set.of(), diff(routed, documentedOperations(openApi)), "routes the document does not have");
    }

    @Test
    void everyDocumentedOperationIsServed() throws Exception {
        String admin = TestJwt.token("ops", "admin");
        String internal = InternalTokens.derive(TestJwt.SECRET);
        HttpClient client = HttpClient.newHttpClient();
        for (String operation : documentedOperations(served())) {
            String method = operation.substring(0, operation.indexOf(' '));
            String path = operation.substring(operation.indexOf(' ') + 1);
            String concrete = path.replace("{technique}", "melt")
                    .replace("{userId}", "u-openapi")
                    .replace("{trialId}", UUID.randomUUID().toString());
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + app.config().httpPort() + concrete))
                    .header("Authorization", "Bearer " + admin)
                    .header(InternalApi.TOKEN_HEADER, internal)
                    .header("Content-Type", "application/json")
                    .method(
                            method,
                            method.equals("POST")
                                    ? HttpRequest.BodyPublishers.ofString("[]")
                                    : HttpRequest.BodyPublishers.noBody())
                    .build();
            // The status only; the body is not waited for (GET /v1/stream never ends by itself).
            HttpResponse<java.io.InputStream> response =
                    client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            int status = response.statusCode();
            response.body().close();
            boolean absentUser = path.equals("/internal/v1/journals/{userId}") && status == 404;
            boolean absentTrial = path.contains("{trialId}") && status == 404;
            assertTrue(absentUser || absentTrial || status != 404 && status != 405, operation + " answered " + status);
        }
    }

    @Test
    void theDocumentIsAValidOpenApi31ContractAndRealAnswersMatchIt() throws Exception {
        Path file = Files.createTempFile("openapi", ".yaml");
        Vertx vertx = Vertx.vertx();
        try {
            Files.writeString(file, http.get("/openapi.yaml", null).body());
            // problem+json is JSON; CSV, NDJSON and YAML bodies are not checked (no schema for them).
            MediaTypeRegistry types = MediaTypeRegistry.createDefault()
                    .register(alias(MediaTypeRegistration.APPLICATION_JSON, "application/problem+json"))
                    .register(alias(MediaTypeRegistration.APPLICATION_OCTET_STREAM, "text/csv"))
                    .register(alias(MediaTypeRegistration.APPLICATION_OCTET_STREAM, "application/x-ndjson"))
                    .register(alias(MediaTypeRegistration.APPLICATION_OCTET_STREAM, "application/yaml"))
                    .register(alias(MediaTypeRegistration.APPLICATION_OCTET_STREAM, "text/event-stream"))
                    .register(alias(MediaTypeRegistration.APPLICATION_OCTET_STREAM, "text/calendar"))
                    .register(alias(MediaTypeRegistration.APPLICATION_OCTET_STREAM, "application/pdf"))
                    .register(alias(MediaTypeRegistration.APPLICATION_JSON, "application/cloudevents+json"))
                    .register(alias(MediaTypeRegistration.APPLICATION_JSON, "application/cloudevents-batch+json"))
                    .register(alias(MediaTypeRegistration.APPLICATION_JSON, "application/fhir+json"));
            OpenAPIContract contract = OpenAPIContract.builder(vertx)
                    .setContractPath(file.toString())
                    .mediaTypeRegistry(types)
                    .build()
                    .await(30, TimeUnit.SECONDS);
            assertEquals(OpenAPIVersion.V3_1, contract.getVersion());
            ResponseValidator validator = ResponseValidator.create(vertx, contract);
            // The check can fail: an answer the document does not allow is refused.
            assertThrows(
                    Exception.class,
                    () -> validator
                            .validate(
                                    ValidatableResponse.create(
                                            202,
                                            Buffer.buffer("{\"eventId\":\"x\",\"status\":\"duplicate\"}"),
                                            "application/json"),
                                    "postSession")
                            .await(10, TimeUnit.SECONDS));

            String user = "u-oas";
            String token = TestJwt.token(user, "user");
            String id = UUID.randomUUID().toString();
            check(
                    validator,
                    "postSession",
                    http.postJson("/v1/sessions", token, IngestEndToEndTest.session(id, user, "")),
                    202);
            check(
                    validator,
                    "postSession",
                    http.postJson("/v1/sessions", token, IngestEndToEndTest.session(id, user, "")),
                    200);
            check(
                    validator,
                    "postSession",
                    http.postJson(
                            "/v1/sessions",
                            token,
                            IngestEndToEndTest.session(UUID.randomUUID().toString(), user, ",\"painAfter\":11")
                                    .replace("\"painAfter\":4,", "")),
                    400);
            check(
                    validator,
                    "postPainScore",
                    http.postJson(
                            "/v1/pain-scores",
                            token,
                            IngestEndToEndTest.painScore(UUID.randomUUID().toString(), user)),
                    202);
            TestApps.await("the session counted", java.time.Duration.ofSeconds(30), () -> {
                TestHttp.Response r = http.get("/v1/users/" + user + "/techniques", token);
                return r.status() == 200 && r.json().get("techniques").size() == 1;
            });
            check(validator, "getCatalogue", http.get("/v1/catalogue", token), 200);
            check(validator, "getTechniques", http.get("/v1/techniques", token), 200);
            check(validator, "getTechniqueTrend", http.get("/v1/techniques/tennis-ball/trend", token), 200);
            check(validator, "getUserTechniques", http.get("/v1/users/" + user + "/techniques", token), 200);
            // Five more users of shiatsu whose sessions differ: shiatsu gets a model (API.md section 7), so the
            // answer carries posteriors, untried candidates and a suggestion, each checked against the document.
            String admin = TestJwt.token("ops", "admin");
            for (int u = 0; u < 5; u++) {
                for (int i = 0; i < 2; i++) {
                    String shiatsu = IngestEndToEndTest.session(
                                    UUID.randomUUID().toString(), user + "-" + u, "")
                            .replace("tennis-ball", "shiatsu")
                            .replace("\"painAfter\":4", "\"painAfter\":" + (u + 3 * i) % 8);
                    assertEquals(
                            202, http.postJson("/v1/sessions", admin, shiatsu).status());
                }
            }
            TestApps.await("shiatsu's model", java.time.Duration.ofSeconds(30), () -> {
                JsonNode answer =
                        http.get("/v1/users/" + user + "/techniques", token).json();
                return answer.get("untried").toString().contains("shiatsu")
                        && !answer.get("suggestion").isNull();
            });
            JsonNode personal =
                    http.get("/v1/users/" + user + "/techniques", token).json();
            assertTrue(personal.get("untried").get(0).get("posterior").has("probabilityBest"), personal.toString());
            check(validator, "getUserTechniques", http.get("/v1/users/" + user + "/techniques", token), 200);
            check(validator, "getTechniques", http.get("/v1/techniques", token), 200);
            check(validator, "getUserTrend", http.get("/v1/users/" + user + "/trend", token), 200);
            check(validator, "getUserJournal", http.get("/v1/users/" + user + "/journal", token), 200);
            check(validator, "getUserJournal", http.get("/v1/users/someone-else/journal", token), 403);
            String trialId = UUID.randomUUID().toString();
            String trial = "{\"trialId\":\"" + trialId + "\",\"techniques\":[\"melt\",\"tennis-ball\"],"
                    + "\"startDate\":\"2026-10-05\"}";
            check(validator, "startTrial", http.postJson("/v1/users/" + user + "/trials", token, trial), 202);
            check(validator, "startTrial", http.postJson("/v1/users/" + user + "/trials", token, trial), 200);
            check(validator, "startTrial", http.postJson("/v1/users/" + user + "/trials", token, "{}"), 400);
            TestApps.await(
                    "the trial",
                    java.time.Duration.ofSeconds(30),
                    () -> http.get("/v1/users/" + user + "/trials/" + trialId, token)
                                    .status()
                            == 200);
            check(validator, "getUserTrials", http.get("/v1/users/" + user + "/trials", token), 200);
            check(
                    validator,
                    "getTrialsSummary",
                    http.get("/v1/trials/summary?techniques=melt,tennis-ball", token),
                    200);
            check(validator, "getTrialsSummary", http.get("/v1/trials/summary?techniques=melt,melt", token), 400);
            check(validator, "getUserTrial", http.get("/v1/users/" + user + "/trials/" + trialId, token), 200);
            check(
                    validator,
                    "getUserTrial",
                    http.get("/v1/users/" + user + "/trials/" + UUID.randomUUID(), token),
                    404);
            check(validator, "cancelTrial", http.delete("/v1/users/" + user + "/trials/" + trialId, token), 202);
        } finally {
            Files.deleteIfExists(file);
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    private static MediaTypeRegistration alias(MediaTypeRegistration like, String type) {
        return new MediaTypeRegistration() {
            @Override
            public ContentAnalyser createContentAnalyser(
                    String contentType, Buffer content, ValidationContext context) {
                return like.createContentAnalyser(contentType, content, context);
            }

            @Override
            public boolean canHandle(String mediaType) {
                return mediaType.equals(type) || mediaType.startsWith(type + ";");
            }

            @Override
            public List<String> supportedTypes() {
                return List.of(type);
            }
        };
    }

    private static void check(
            ResponseValidator validator, String operationId, TestHttp.Response response, int expectedStatus)
            throws Exception {
        assertEquals(expectedStatus, response.status(), operationId + ": " + response.body());
        String contentType = response.contentType();
        ValidatableResponse answer =
                ValidatableResponse.create(response.status(), Buffer.buffer(response.body()), contentType);
        validator.validate(answer, operationId).await(10, TimeUnit.SECONDS);
    }

    private static Set<String> diff(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }
}
