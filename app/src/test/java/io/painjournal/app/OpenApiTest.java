package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The OpenAPI document the server serves agrees with the server and with the contract's paths. */
class OpenApiTest extends RunningAppTest {

    /** Every path of API.md. */
    private static final Set<String> CONTRACT = Set.of("/v1/sessions", "/v1/pain-scores", "/v1/events",
            "/v1/catalogue", "/v1/techniques", "/v1/techniques/{technique}/trend", "/v1/users/{userId}/techniques",
            "/v1/users/{userId}/trend", "/v1/users/{userId}/journal", "/v1/research/trends", "/v1/users/{userId}",
            "/health/live", "/health/ready", "/metrics", "/openapi.yaml");

    @Test
    void everyDocumentedOperationIsServedAndEveryContractPathDocumented() throws Exception {
        TestHttp.Response doc = http.get("/openapi.yaml", null);
        assertEquals(200, doc.status());
        JsonNode openApi = new ObjectMapper(new YAMLFactory()).readTree(doc.body());
        Set<String> documented = new TreeSet<>();
        openApi.get("paths").fieldNames().forEachRemaining(documented::add);
        assertTrue(documented.containsAll(CONTRACT), "missing: " + diff(CONTRACT, documented));

        String admin = TestJwt.token("ops", "admin");
        HttpClient client = HttpClient.newHttpClient();
        for (Iterator<Map.Entry<String, JsonNode>> paths = openApi.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            String concrete = path.getKey().replace("{technique}", "melt").replace("{userId}", "u-openapi");
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next().toUpperCase();
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                + app.config().httpPort() + concrete))
                        .header("Authorization", "Bearer " + admin)
                        .header("Content-Type", "application/json")
                        .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("[]")
                                : HttpRequest.BodyPublishers.noBody())
                        .build();
                int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                assertTrue(status != 404 && status != 405, method + " " + path.getKey() + " answered " + status);
            }
        }
    }

    private static Set<String> diff(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }
}
