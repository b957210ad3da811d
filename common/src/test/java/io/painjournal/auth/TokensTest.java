package io.painjournal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
        String input = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64(payload.getBytes(StandardCharsets.UTF_8));
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update(input.getBytes(StandardCharsets.UTF_8));
        return input + "." + b64(signer.sign());
    }

    private static String pem(KeyPair pair) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    @Test
    void rs256TokensFromTheIdentityProviderAreVerifiedWithItsPublicKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair provider = generator.generateKeyPair();
        KeyPair impostor = generator.generateKeyPair();
        Tokens tokens = new Tokens(vertx, new AuthConfig(Optional.empty(), Optional.of(pem(provider)), "RS256"));
        long exp = System.currentTimeMillis() / 1000 + 600;
        String payload = "{\"sub\":\"u-9\",\"roles\":[\"user\",\"unknown-role\"],\"exp\":" + exp + "}";

        User user = tokens.provider().authenticate(new TokenCredentials(rs256(provider.getPrivate(), payload)))
                .await(5, TimeUnit.SECONDS);
        Caller caller = Tokens.caller(user).orElseThrow();
        assertEquals("u-9", caller.subject());
        assertEquals(Set.of(Role.USER), caller.roles(), "unknown roles are dropped");

        assertThrows(Exception.class, () -> tokens.provider()
                .authenticate(new TokenCredentials(rs256(impostor.getPrivate(), payload))).await(5, TimeUnit.SECONDS));
        assertThrows(IllegalStateException.class, () -> tokens.issue("u-9", Set.of(Role.USER), 60),
                "a server that only holds a public key cannot issue tokens");
    }

    @Test
    void hs256TokensIssuedHereVerifyAndCarryTheirRoles() throws Exception {
        Tokens tokens = new Tokens(vertx, AuthConfig.hmac("0123456789abcdef0123456789abcdef"));
        String token = tokens.issue("r-1", Set.of(Role.RESEARCHER), 60);
        Caller caller = Tokens.caller(tokens.provider().authenticate(new TokenCredentials(token))
                .await(5, TimeUnit.SECONDS)).orElseThrow();
        assertTrue(caller.mayResearch());
        assertEquals("r-1", caller.subject());
    }
}
