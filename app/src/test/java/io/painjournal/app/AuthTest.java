package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Section 3 of the contract: who may post what, and 401 for every kind of bad token. */
class AuthTest extends SharedAppTest {

    private static String body(String userId) {
        return IngestEndToEndTest.session(UUID.randomUUID().toString(), userId, "");
    }

    private void assertUnauthorized(String token) {
        TestHttp.Response r = http.postJson("/v1/sessions", token, body("u-1"));
        assertEquals(401, r.status(), r.body());
        assertEquals("application/problem+json", r.contentType());
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    }

    @Test
    void missingTokenIs401() {
        assertUnauthorized(null);
    }

    @Test
    void garbageTokenIs401() {
        assertUnauthorized("not-a-jwt");
        assertUnauthorized("a.b.c");
        assertUnauthorized("");
    }

    @Test
    void otherSchemesAndAnEmptyBearerAre401() {
        for (String header : new String[] {"Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc"}) {
            java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                            "http://127.0.0.1:" + app.config().httpPort() + "/v1/catalogue"))
                    .header("Authorization", header)
                    .GET()
                    .build();
            try {
                int status = java.net.http.HttpClient.newHttpClient()
                        .send(request, java.net.http.HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                assertEquals(401, status, "'" + header + "'");
            } catch (java.io.IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void forgedTokenIs401() {
        long now = System.currentTimeMillis() / 1000;
        assertUnauthorized(TestJwt.hs256(
                "another-secret-another-secret-another-secret", TestJwt.payload("u-1", now, now + 3600, "user")));
    }

    @Test
    void tamperedPayloadIs401() {
        String good = TestJwt.token("u-1", "user");
        String[] parts = good.split("\\.");
        long now = System.currentTimeMillis() / 1000;
        String admin = java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(TestJwt.payload("u-1", now, now + 3600, "admin")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertUnauthorized(parts[0] + "." + admin + "." + parts[2]);
    }

    @Test
    void expiredTokenIs401() {
        long now = System.currentTimeMillis() / 1000;
        assertUnauthorized(TestJwt.hs256(TestJwt.SECRET, TestJwt.payload("u-1", now - 7200, now - 3600, "user")));
    }

    @Test
    void algNoneIs401() {
        long now = System.currentTimeMillis() / 1000;
        assertUnauthorized(TestJwt.unsigned(TestJwt.payload("u-1", now, now + 3600, "admin")));
    }

    @Test
    void tokenWithoutSubjectIs401() {
        long now = System.currentTimeMillis() / 1000;
        assertUnauthorized(TestJwt.hs256(
                TestJwt.SECRET, "{\"roles\":[\"admin\"],\"iat\":" + now + ",\"exp\":" + (now + 3600) + "}"));
    }

    @Test
    void notYetValidTokenIs401() {
        long now = System.currentTimeMillis() / 1000;
        assertUnauthorized(TestJwt.hs256(
                TestJwt.SECRET,
                "{\"sub\":\"u-1\",\"roles\":[\"user\"],\"iat\":" + now + ",\"nbf\":" + (now + 3600) + ",\"exp\":"
                        + (now + 7200) + "}"));
    }

    @Test
    void aTokenSignedWithAnotherAlgorithmIs401() {
        long now = System.currentTimeMillis() / 1000;
        String payload = TestJwt.payload("u-1", now, now + 3600, "admin");
        assertUnauthorized(TestJwt.signed("HS512", "HmacSHA512", TestJwt.SECRET, payload));
        assertUnauthorized(TestJwt.signed("HS384", "HmacSHA384", TestJwt.SECRET, payload));
        // RS256 named in the header, the bytes an HMAC with the shared secret (key confusion):
        assertUnauthorized(TestJwt.signed("RS256", "HmacSHA256", TestJwt.SECRET, payload));
    }

    @Test
    void aTokenWithUnknownOrMalformedRolesIs401() {
        long now = System.currentTimeMillis() / 1000;
        assertUnauthorized(TestJwt.hs256(TestJwt.SECRET, TestJwt.payload("u-1", now, now + 3600, "superuser")));
        assertUnauthorized(TestJwt.hs256(TestJwt.SECRET, TestJwt.payload("u-1", now, now + 3600, "user", "root")));
        assertUnauthorized(TestJwt.hs256(TestJwt.SECRET, TestJwt.payload("u-1", now, now + 3600, "Admin")));
        assertUnauthorized(
                TestJwt.hs256(TestJwt.SECRET, "{\"sub\":\"u-1\",\"roles\":\"admin\",\"exp\":" + (now + 3600) + "}"));
        assertUnauthorized(
                TestJwt.hs256(TestJwt.SECRET, "{\"sub\":\"u-1\",\"roles\":[1],\"exp\":" + (now + 3600) + "}"));
        assertUnauthorized(TestJwt.hs256(TestJwt.SECRET, "{\"sub\":\"u-1\",\"exp\":" + (now + 3600) + "}"));
    }

    @Test
    void anotherUsersDataIs403AndTheAnswerIsTheSameWhetherTheyExistOrNot() throws Exception {
        String admin = TestJwt.token("ops", "admin");
        assertEquals(202, http.postJson("/v1/sessions", admin, body("u-exists")).status());
        TestApps.await("u-exists counted", java.time.Duration.ofSeconds(30), () -> {
            TestHttp.Response r = http.get("/v1/users/u-exists/techniques", admin);
            return r.status() == 200 && r.json().get("techniques").size() == 1;
        });
        String snoop = TestJwt.token("u-snoop", "user");
        for (String path : new String[] {"/techniques", "/trend?technique=melt", "/journal"}) {
            TestHttp.Response existing = http.get("/v1/users/u-exists" + path, snoop);
            TestHttp.Response unknown = http.get("/v1/users/u-never-seen" + path, snoop);
            TestHttp.Response impossible = http.get("/v1/users/no%20such%20id" + path, snoop);
            for (TestHttp.Response r : List.of(existing, unknown, impossible)) {
                assertEquals(403, r.status(), path + ": " + r.body());
                assertEquals("application/problem+json", r.contentType());
                assertEquals(existing.body(), r.body(), "the same bytes whoever the user is");
                assertEquals(headerNames(existing), headerNames(r));
            }
        }
        TestHttp.Response deleteExisting = http.delete("/v1/users/u-exists", snoop);
        TestHttp.Response deleteUnknown = http.delete("/v1/users/u-never-seen", snoop);
        assertEquals(403, deleteExisting.status());
        assertEquals(deleteExisting.body(), deleteUnknown.body());
    }

    private static java.util.Set<String> headerNames(TestHttp.Response r) {
        return new java.util.TreeSet<>(r.headers().map().keySet());
    }

    @Test
    void aUserPostingForSomeoneElseIs403() {
        TestHttp.Response r = http.postJson("/v1/sessions", TestJwt.token("u-1", "user"), body("u-2"));
        assertEquals(403, r.status(), r.body());
        assertEquals("application/problem+json", r.contentType());
        assertEquals(
                403,
                http.postJson(
                                "/v1/pain-scores",
                                TestJwt.token("u-1", "user"),
                                IngestEndToEndTest.painScore(UUID.randomUUID().toString(), "u-2"))
                        .status());
    }

    @Test
    void aResearcherIsNotAUserAndMayNotPost() {
        assertEquals(
                403,
                http.postJson("/v1/sessions", TestJwt.token("r-1", "researcher"), body("r-1"))
                        .status());
    }

    @Test
    void inABatchSomeoneElsesItemsAreRejectedAndTheRestJudgedOnTheirOwn() {
        String batch = "[" + IngestEndToEndTest.withType("session", body("u-1")) + ","
                + IngestEndToEndTest.withType("session", body("u-2")) + "]";
        TestHttp.Response r = http.postJson("/v1/events", TestJwt.token("u-1", "user"), batch);
        assertEquals(200, r.status(), r.body());
        assertEquals(
                java.util.List.of("accepted", "rejected"),
                IngestEndToEndTest.statuses(r.json().get("results")));
        assertEquals(
                "userId",
                r.json().get("results").get(1).get("errors").get(0).get("field").asText());
    }

    @Test
    void anAdminMayPostForAnyone() {
        assertEquals(
                202,
                http.postJson("/v1/sessions", TestJwt.token("ops", "admin"), body("u-77"))
                        .status());
    }

    @Test
    void aUserMayPostTheirOwn() {
        assertEquals(
                202,
                http.postJson("/v1/sessions", TestJwt.token("u-1", "user"), body("u-1"))
                        .status());
    }
}
