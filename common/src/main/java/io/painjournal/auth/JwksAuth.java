package io.painjournal.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.NoSuchKeyIdException;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.Credentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies tokens with the keys an identity provider publishes as a JSON Web Key Set. The set is read
 * at start (start fails if it cannot be), re-read every {@link #REFRESH}, and re-read at once when a
 * token names a key id not in the set (the provider rotated its keys), at most every
 * {@link #MIN_REFETCH} so that tokens with made-up key ids cannot make this server hammer the provider.
 * If a re-read fails, the keys already known stay in force.
 */
public final class JwksAuth implements JWTAuth, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JwksAuth.class);
    public static final Duration REFRESH = Duration.ofMinutes(5);
    public static final Duration MIN_REFETCH = Duration.ofSeconds(30);
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final URI url;
    private final JWTOptions options;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(FETCH_TIMEOUT).build();
    private final long timer;
    private volatile JWTAuth current;
    private volatile long lastFetchNanos;
    private Future<Void> inFlight;

    private JwksAuth(Vertx vertx, URI url, JWTOptions options) {
        this.vertx = vertx;
        this.url = url;
        this.options = options;
        this.current = JWTAuth.create(vertx, new JWTAuthOptions().setJWTOptions(options));
        this.timer = vertx.setPeriodic(REFRESH.toMillis(), id -> refresh());
    }

    /** Reads the key set; the future fails (with the reason) if it cannot be read or has no usable key. */
    public static Future<JwksAuth> start(Vertx vertx, URI url, JWTOptions options) {
        JwksAuth auth = new JwksAuth(vertx, url, options);
        return auth.refresh().map(auth).onFailure(e -> auth.close());
    }

    @Override
    public Future<User> authenticate(Credentials credentials) {
        return current.authenticate(credentials).recover(e -> {
            if (unknownKeyId(e) && System.nanoTime() - lastFetchNanos >= MIN_REFETCH.toNanos()) {
                return refresh()
                        .recover(ignored -> Future.succeededFuture())
                        .compose(v -> current.authenticate(credentials));
            }
            return Future.failedFuture(e);
        });
    }

    /** Re-reads the key set; concurrent callers share one read. */
    synchronized Future<Void> refresh() {
        if (inFlight != null) {
            return inFlight;
        }
        lastFetchNanos = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(FETCH_TIMEOUT)
                .header("Accept", "application/json")
                .GET()
                .build();
        Future<Void> fetch = Future.fromCompletionStage(
                        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()), vertx.getOrCreateContext())
                .compose(response -> {
                    if (response.statusCode() != 200) {
                        return Future.failedFuture("the JWKS at " + url + " answered " + response.statusCode());
                    }
                    List<JsonObject> keys = signingKeys(response.body());
                    current = JWTAuth.create(
                            vertx, new JWTAuthOptions().setJWTOptions(options).setJwks(keys));
                    LOG.info("read {} signing keys from the JWKS at {}", keys.size(), url);
                    return Future.<Void>succeededFuture();
                })
                .recover(e -> Future.failedFuture(new IllegalStateException(
                        "could not read the JWKS at " + url + ": "
                                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                        e)))
                .onFailure(e -> LOG.warn(e.getMessage()))
                .onComplete(ignored -> {
                    synchronized (this) {
                        inFlight = null;
                    }
                });
        inFlight = fetch.isComplete() ? null : fetch;
        return fetch;
    }

    /**
     * The keys of a JWKS document that can verify signatures: RSA and EC keys not marked for encryption,
     * with an asymmetric {@code alg} (inferred from the key type when absent). Symmetric keys are ignored.
     */
    static List<JsonObject> signingKeys(String document) {
        JsonArray keys;
        try {
            keys = new JsonObject(document).getJsonArray("keys");
        } catch (DecodeException | ClassCastException e) {
            throw new IllegalArgumentException("the JWKS is not a JSON object with a \"keys\" array", e);
        }
        if (keys == null) {
            throw new IllegalArgumentException("the JWKS has no \"keys\" array");
        }
        List<JsonObject> usable = new ArrayList<>();
        for (Object k : keys) {
            if (!(k instanceof JsonObject key) || "enc".equals(key.getString("use"))) {
                continue;
            }
            String alg = key.getValue("alg") instanceof String a ? a : inferredAlg(key);
            if (alg != null && AuthConfig.ASYMMETRIC.contains(alg)) {
                usable.add(key.copy().put("alg", alg));
            }
        }
        if (usable.isEmpty()) {
            throw new IllegalArgumentException("the JWKS holds no RSA or EC signing key");
        }
        return usable;
    }

    private static String inferredAlg(JsonObject key) {
        String kty = key.getValue("kty") instanceof String s ? s : "";
        String crv = key.getValue("crv") instanceof String s ? s : "";
        switch (kty) {
            case "RSA":
                return "RS256";
            case "EC":
                return switch (crv) {
                    case "P-256" -> "ES256";
                    case "P-384" -> "ES384";
                    case "P-521" -> "ES512";
                    default -> null;
                };
            default:
                return null;
        }
    }

    /** For tests: lets the next unknown key id trigger a read without waiting {@link #MIN_REFETCH}. */
    void allowRefetchNow() {
        lastFetchNanos = System.nanoTime() - MIN_REFETCH.toNanos();
    }

    private static boolean unknownKeyId(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NoSuchKeyIdException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String generateToken(JsonObject claims, JWTOptions options) {
        throw new IllegalStateException("this server verifies tokens with a JWKS and cannot issue them");
    }

    @Override
    public String generateToken(JsonObject claims) {
        return generateToken(claims, options);
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
    }
}
