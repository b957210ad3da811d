package io.painjournal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Token verification with a shared secret (HS256) and with an identity provider's public key (RS256). */
class TokensTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String rs256(PrivateKey key, String payload) throws Exception {
        return rs256(key, null, payload);
    }

    private static String rs256(PrivateKey key, String kid, String payload) throws Exception {
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"" + (kid == null ? "" : ",\"kid\":\"" + kid + "\"") + "}";
        String input =
                b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(payload.getBytes(StandardCharsets.UTF_8));
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update(input.getBytes(StandardCharsets.UTF_8));
        return input + "." + b64(signer.sign());
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static String pem(KeyPair pair) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    @Test
    void rs256TokensFromTheIdentityProviderAreVerifiedWithItsPublicKey() throws Exception {
        KeyPair provider = rsa();
        KeyPair impostor = rsa();
        Tokens tokens = new Tokens(
                vertx,
                new AuthConfig(
                        Optional.empty(),
                        Optional.of(pem(provider)),
                        Optional.empty(),
                        "RS256",
                        Optional.empty(),
                        Optional.empty()));
        long exp = System.currentTimeMillis() / 1000 + 600;
        String payload = "{\"sub\":\"u-9\",\"roles\":[\"user\"],\"exp\":" + exp + "}";

        User user = tokens.provider()
                .authenticate(new TokenCredentials(rs256(provider.getPrivate(), payload)))
                .await(5, TimeUnit.SECONDS);
        Caller caller = Tokens.caller(user).orElseThrow();
        assertEquals("u-9", caller.subject());
        assertEquals(Set.of(Role.USER), caller.roles());
        String unknownRole = "{\"sub\":\"u-9\",\"roles\":[\"user\",\"unknown-role\"],\"exp\":" + exp + "}";
        assertTrue(
                Tokens.caller(tokens.provider()
                                .authenticate(new TokenCredentials(rs256(provider.getPrivate(), unknownRole)))
                                .await(5, TimeUnit.SECONDS))
                        .isEmpty(),
                "a token naming a role we do not know is not read as one with fewer rights");

        assertThrows(
                Exception.class,
                () -> tokens.provider()
                        .authenticate(new TokenCredentials(rs256(impostor.getPrivate(), payload)))
                        .await(5, TimeUnit.SECONDS));
        assertThrows(
                IllegalStateException.class,
                () -> tokens.issue("u-9", Set.of(Role.USER), 60),
                "a server that only holds a public key cannot issue tokens");
    }

    /** The public half of an RSA key as a JWK. */
    private static JsonObject jwk(KeyPair pair, String kid) {
        RSAPublicKey key = (RSAPublicKey) pair.getPublic();
        return new JsonObject()
                .put("kty", "RSA")
                .put("kid", kid)
                .put("use", "sig")
                .put("n", b64(unsigned(key.getModulus())))
                .put("e", b64(unsigned(key.getPublicExponent())));
    }

    private static byte[] unsigned(BigInteger n) {
        byte[] bytes = n.toByteArray();
        return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    @Test
    void jwksKeysVerifyTokensAndARotatedKeyIsFetchedWhenATokenNamesIt() throws Exception {
        KeyPair first = rsa();
        KeyPair rotated = rsa();
        KeyPair impostor = rsa();
        List<JsonObject> published = new CopyOnWriteArrayList<>(List.of(
                jwk(first, "k1"),
                new JsonObject().put("kty", "oct").put("kid", "hmac").put("k", "c2VjcmV0"))); // ignored: symmetric
        AtomicInteger fetches = new AtomicInteger();
        HttpServer idp = vertx.createHttpServer()
                .requestHandler(req -> {
                    fetches.incrementAndGet();
                    req.response()
                            .putHeader("Content-Type", "application/json")
                            .end(new JsonObject()
                                    .put("keys", new JsonArray(List.copyOf(published)))
                                    .encode());
                })
                .listen(0, "127.0.0.1")
                .await(5, TimeUnit.SECONDS);
        AuthConfig config = new AuthConfig(
                Optional.empty(),
                Optional.empty(),
                Optional.of(URI.create("http://127.0.0.1:" + idp.actualPort() + "/jwks.json")),
                "RS256",
                Optional.of("https://idp.example"),
                Optional.of("pain-journal"));
        Tokens tokens = Tokens.create(vertx, config).await(10, TimeUnit.SECONDS);
        assertEquals(1, fetches.get(), "read once at start");

        long exp = System.currentTimeMillis() / 1000 + 600;
        String claims = "{\"sub\":\"u-7\",\"roles\":[\"user\"],\"iss\":\"https://idp.example\","
                + "\"aud\":\"pain-journal\",\"exp\":" + exp + "}";
        assertEquals(
                "u-7",
                Tokens.caller(tokens.provider()
                                .authenticate(new TokenCredentials(rs256(first.getPrivate(), "k1", claims)))
                                .await(5, TimeUnit.SECONDS))
                        .orElseThrow()
                        .subject());
        assertThrows(
                Exception.class,
                () -> tokens.provider()
                        .authenticate(new TokenCredentials(rs256(impostor.getPrivate(), "k1", claims)))
                        .await(5, TimeUnit.SECONDS),
                "wrong key");
        String otherIssuer = claims.replace("https://idp.example", "https://evil.example");
        assertThrows(
                Exception.class,
                () -> tokens.provider()
                        .authenticate(new TokenCredentials(rs256(first.getPrivate(), "k1", otherIssuer)))
                        .await(5, TimeUnit.SECONDS),
                "wrong issuer");
        String otherAudience = claims.replace("\"pain-journal\"", "\"another-app\"");
        assertThrows(
                Exception.class,
                () -> tokens.provider()
                        .authenticate(new TokenCredentials(rs256(first.getPrivate(), "k1", otherAudience)))
                        .await(5, TimeUnit.SECONDS),
                "wrong audience");

        // The provider rotates: a token signed with the new key makes the server read the set again.
        published.add(jwk(rotated, "k2"));
        String fresh = rs256(rotated.getPrivate(), "k2", claims);
        ((JwksAuth) ((VerifiedTokenCache) tokens.provider()).delegate).allowRefetchNow();
        assertEquals(
                "u-7",
                Tokens.caller(tokens.provider()
                                .authenticate(new TokenCredentials(fresh))
                                .await(5, TimeUnit.SECONDS))
                        .orElseThrow()
                        .subject());
        assertEquals(2, fetches.get());
        // Made-up key ids do not make it fetch again right away.
        assertThrows(
                Exception.class,
                () -> tokens.provider()
                        .authenticate(new TokenCredentials(rs256(impostor.getPrivate(), "k-made-up", claims)))
                        .await(5, TimeUnit.SECONDS));
        assertEquals(2, fetches.get(), "at most one fetch per " + JwksAuth.MIN_REFETCH);
        assertThrows(IllegalStateException.class, () -> tokens.issue("u-7", Set.of(Role.USER), 60));
    }

    @Test
    void startFailsClearlyWhenTheJwksCannotBeRead() throws Exception {
        HttpServer idp = vertx.createHttpServer()
                .requestHandler(req -> req.response().setStatusCode(500).end())
                .listen(0, "127.0.0.1")
                .await(5, TimeUnit.SECONDS);
        Exception e = assertThrows(
                Exception.class,
                () -> Tokens.create(vertx, jwks(URI.create("http://127.0.0.1:" + idp.actualPort() + "/jwks")))
                        .await(10, TimeUnit.SECONDS));
        assertTrue(e.getMessage().contains("answered 500"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JwksAuth.signingKeys("{\"keys\":[{\"kty\":\"oct\"}]}"));
        assertThrows(IllegalArgumentException.class, () -> JwksAuth.signingKeys("not json"));
    }

    @Test
    void issuerAndAudienceAreRequiredWhenConfigured() throws Exception {
        Tokens strict = new Tokens(
                vertx,
                new AuthConfig(
                        Optional.of("0123456789abcdef0123456789abcdef"),
                        Optional.empty(),
                        Optional.empty(),
                        AuthConfig.HS256,
                        Optional.of("pain-journal"),
                        Optional.of("dashboards")));
        Tokens lax = new Tokens(vertx, AuthConfig.hmac("0123456789abcdef0123456789abcdef"));
        String withClaims = strict.issue("u-1", Set.of(Role.USER), 60);
        assertEquals(
                "u-1",
                Tokens.caller(strict.provider()
                                .authenticate(new TokenCredentials(withClaims))
                                .await(5, TimeUnit.SECONDS))
                        .orElseThrow()
                        .subject());
        String without = lax.issue("u-1", Set.of(Role.USER), 60);
        assertThrows(
                Exception.class,
                () -> strict.provider()
                        .authenticate(new TokenCredentials(without))
                        .await(5, TimeUnit.SECONDS));
    }

    @Test
    void hs256TokensIssuedHereVerifyAndCarryTheirRoles() throws Exception {
        Tokens tokens = new Tokens(vertx, AuthConfig.hmac("0123456789abcdef0123456789abcdef"));
        String token = tokens.issue("r-1", Set.of(Role.RESEARCHER), 60);
        Caller caller = Tokens.caller(tokens.provider()
                        .authenticate(new TokenCredentials(token))
                        .await(5, TimeUnit.SECONDS))
                .orElseThrow();
        assertTrue(caller.mayResearch());
        assertEquals("r-1", caller.subject());
    }

    private static AuthConfig jwks(URI url) {
        return new AuthConfig(
                Optional.empty(), Optional.empty(), Optional.of(url), "RS256", Optional.empty(), Optional.empty());
    }
}
