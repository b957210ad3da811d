package io.painjournal.app;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Builds JWTs by hand, so tests can make forged, expired and unsigned ones too. */
final class TestJwt {

    static final String SECRET = "test-secret-test-secret-test-secret-0123456789";

    private TestJwt() {}

    static String hs256(String secret, String payloadJson) {
        return signed("HS256", "HmacSHA256", secret, payloadJson);
    }

    /** A token whose header names {@code alg}, signed with the JCA MAC {@code macAlgorithm}. */
    static String signed(String alg, String macAlgorithm, String secret, String payloadJson) {
        String signingInput = b64("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}") + "." + b64(payloadJson);
        try {
            Mac mac = Mac.getInstance(macAlgorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), macAlgorithm));
            return signingInput + "."
                    + Base64.getUrlEncoder()
                            .withoutPadding()
                            .encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String unsigned(String payloadJson) {
        return b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(payloadJson) + ".";
    }

    /** A valid token for {@code sub} with the given roles, an hour long. */
    static String token(String sub, String... roles) {
        long now = System.currentTimeMillis() / 1000;
        return hs256(SECRET, payload(sub, now, now + 3600, roles));
    }

    static String payload(String sub, long iat, long exp, String... roles) {
        StringBuilder r = new StringBuilder();
        for (String role : roles) {
            r.append(r.length() == 0 ? "" : ",").append('"').append(role).append('"');
        }
        return "{\"sub\":\"" + sub + "\",\"roles\":[" + r + "],\"iat\":" + iat + ",\"exp\":" + exp + "}";
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
