package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Production auth wired end to end: the process reads an identity provider's JWKS at start and
 * accepts its RS256 tokens (issuer and audience enforced); HS256 tokens are refused, however signed.
 */
class IdentityProviderTest {

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String unsigned(BigInteger n) {
        byte[] bytes = n.toByteArray();
        return b64(bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes);
    }

    private static String rs256(KeyPair key, String kid, String payload) throws Exception {
        String input =
                b64(("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}").getBytes(StandardCharsets.UTF_8))
                        + "." + b64(payload.getBytes(StandardCharsets.UTF_8));
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key.getPrivate());
        signer.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64(signer.sign());
    }

    @Test
    void tokensOfTheConfiguredIdentityProviderAreAcceptedAndNoOthers(@TempDir Path dataDir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair idpKey = generator.generateKeyPair();
        RSAPublicKey pub = (RSAPublicKey) idpKey.getPublic();
        byte[] jwks = ("{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"idp-1\",\"alg\":\"RS256\",\"use\":\"sig\",\"n\":\""
                        + unsigned(pub.getModulus()) + "\",\"e\":\"" + unsigned(pub.getPublicExponent()) + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        HttpServer idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        idp.createContext("/.well-known/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        idp.start();
        try {
            Map<String, String> env = TestApps.env(dataDir);
            env.remove("JWT_SECRET");
            env.put("ROLES", "ingest");
            env.put("JWT_JWKS_URL", "http://127.0.0.1:" + idp.getAddress().getPort() + "/.well-known/jwks.json");
            env.put("JWT_ISSUER", "https://idp.example");
            env.put("JWT_AUDIENCE", "pain-journal");
            try (Application app = TestApps.start(env)) {
                assertTrue(!app.madeItsOwnSecret());
                TestHttp http = new TestHttp(app.config().httpPort());
                long exp = System.currentTimeMillis() / 1000 + 600;
                String claims = "{\"sub\":\"u-idp\",\"roles\":[\"user\"],\"iss\":\"https://idp.example\","
                        + "\"aud\":\"pain-journal\",\"exp\":" + exp + "}";
                String body = IngestEndToEndTest.session(UUID.randomUUID().toString(), "u-idp", "");

                assertEquals(
                        202,
                        http.postJson("/v1/sessions", rs256(idpKey, "idp-1", claims), body)
                                .status());
                assertEquals(
                        401,
                        http.postJson("/v1/sessions", rs256(generator.generateKeyPair(), "idp-1", claims), body)
                                .status(),
                        "signed by another key");
                assertEquals(
                        401,
                        http.postJson(
                                        "/v1/sessions",
                                        rs256(idpKey, "idp-1", claims.replace("pain-journal", "other-app")),
                                        body)
                                .status(),
                        "another audience");
                assertEquals(
                        401,
                        http.postJson("/v1/sessions", TestJwt.token("u-idp", "user"), body)
                                .status(),
                        "HS256 is not accepted when an identity provider is configured");
                assertThrows(
                        IllegalStateException.class,
                        () -> app.issueToken("u-idp", java.util.Set.of(io.painjournal.auth.Role.USER)));
            }
        } finally {
            idp.stop(0);
        }
    }

    @Test
    void startStopsWithAClearReasonWhenTheJwksCannotBeRead(@TempDir Path dataDir) {
        Map<String, String> env = TestApps.env(dataDir);
        env.remove("JWT_SECRET");
        env.put("ROLES", "ingest");
        env.put("JWT_JWKS_URL", "http://127.0.0.1:" + TestApps.freePort() + "/jwks.json");
        Exception e = assertThrows(Exception.class, () -> TestApps.start(env).close());
        assertTrue(
                String.valueOf(e.getMessage()).startsWith("could not read the JWKS at http://127.0.0.1:"),
                e.toString());
    }
}
