package io.painjournal.app;

import io.painjournal.auth.AuthConfig;
import io.painjournal.privacy.MasterKey;
import io.painjournal.web.RateLimiter;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads {@link Setting}s from an environment and checks them, collecting every problem; {@link #failIfAny}
 * reports them together. A blank variable is an unset one.
 */
final class SettingReader {
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    SettingReader(Map<String, String> env) {
        this.env = env;
    }

    Optional<String> optional(Setting s) {
        String v = env.get(s.name());
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    String string(Setting s) {
        return optional(s).orElseGet(s::fallback);
    }

    /** For a setting whose default is worked out at start. */
    String string(Setting s, String fallback) {
        return optional(s).orElse(fallback);
    }

    String choice(Setting s, List<String> allowed) {
        String v = string(s).toLowerCase(Locale.ROOT);
        if (allowed.contains(v)) {
            return v;
        }
        problems.add(s.name() + "=" + v + " must be one of " + String.join(", ", allowed));
        return s.fallback();
    }

    /** A comma list of http(s) base addresses, trailing slashes dropped. */
    List<String> urls(Setting s) {
        List<String> urls = new ArrayList<>();
        for (String part : string(s, "").split(",")) {
            String u = part.trim().replaceAll("/+$", "");
            if (u.isEmpty()) {
                continue;
            }
            if (!(u.startsWith("http://") || u.startsWith("https://"))) {
                problems.add(s.name() + ": '" + u + "' is not an http(s) address, e.g. http://analytics:8080");
                continue;
            }
            urls.add(u);
        }
        return urls;
    }

    int integer(Setting s, int min, int max) {
        return integer(s, Integer.parseInt(s.fallback()), min, max);
    }

    /** For a setting whose default is worked out at start. */
    int integer(Setting s, int fallback, int min, int max) {
        return number(s, fallback, Integer::valueOf, min, max, "a whole number");
    }

    double decimal(Setting s, double min, double max) {
        return number(s, Double.valueOf(s.fallback()), Double::valueOf, min, max, "a number");
    }

    private <N extends Comparable<N>> N number(
            Setting s, N fallback, Function<String, N> parse, N min, N max, String what) {
        Optional<String> v = optional(s);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            N n = parse.apply(v.get());
            if (n.compareTo(min) >= 0 && n.compareTo(max) <= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(s.name() + "=" + v.get() + " must be " + what + " from " + min + " to " + max);
        return fallback;
    }

    Set<AppRole> roles() {
        String v = string(Setting.ROLES);
        if (v.equals("all")) {
            return EnumSet.allOf(AppRole.class);
        }
        Set<AppRole> roles = EnumSet.noneOf(AppRole.class);
        for (String part : v.split(",")) {
            Optional<AppRole> role = AppRole.fromId(part.trim());
            if (role.isPresent()) {
                roles.add(role.get());
            } else {
                problems.add("ROLES=" + v + ": '" + part.trim()
                        + "' is not a role; use all or a comma list of ingest, analytics, api");
            }
        }
        if (roles.isEmpty() && problems.isEmpty()) {
            problems.add("ROLES is empty; use all or a comma list of ingest, analytics, api");
        }
        return roles;
    }

    /** The master key in {@code file}, or a problem saying why not. */
    Optional<MasterKey> masterKey(Path file) {
        try {
            return Optional.of(MasterKey.read(file));
        } catch (IOException e) {
            problems.add("MASTER_KEY_FILE=" + file + " cannot be read: " + e);
        } catch (IllegalArgumentException e) {
            problems.add("MASTER_KEY_FILE=" + file + ": " + e.getMessage());
        }
        return Optional.empty();
    }

    Optional<AuthConfig> auth() {
        Optional<String> secret = optional(Setting.JWT_SECRET);
        Optional<String> key = optional(Setting.JWT_PUBLIC_KEY);
        Optional<String> keyFile = optional(Setting.JWT_PUBLIC_KEY_FILE);
        Optional<String> jwks = optional(Setting.JWT_JWKS_URL);
        Optional<String> issuer = optional(Setting.JWT_ISSUER);
        Optional<String> audience = optional(Setting.JWT_AUDIENCE);
        String algorithm = string(Setting.JWT_ALGORITHM, secret.isPresent() ? AuthConfig.HS256 : "RS256");
        if (secret.isEmpty() && key.isEmpty() && keyFile.isEmpty() && jwks.isEmpty()) {
            return Optional.empty(); // the launcher makes a secret and prints trial tokens
        }
        if (key.isPresent() && keyFile.isPresent()) {
            problems.add("set JWT_PUBLIC_KEY or JWT_PUBLIC_KEY_FILE, not both");
            return Optional.empty();
        }
        if (keyFile.isPresent()) {
            try {
                key = Optional.of(Files.readString(Path.of(keyFile.get())));
            } catch (IOException | RuntimeException e) {
                problems.add("JWT_PUBLIC_KEY_FILE=" + keyFile.get() + " cannot be read: " + e);
                return Optional.empty();
            }
        }
        Optional<URI> jwksUrl;
        try {
            jwksUrl = jwks.map(URI::create);
        } catch (IllegalArgumentException e) {
            problems.add("JWT_JWKS_URL=" + jwks.get() + " is not an address: " + e.getMessage());
            return Optional.empty();
        }
        try {
            return Optional.of(new AuthConfig(secret, key, jwksUrl, algorithm, issuer, audience));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return Optional.empty();
        }
    }

    HttpLimits httpLimits() {
        return new HttpLimits(
                integer(Setting.HTTP_MAX_HEADER_BYTES, 1024, 1024 * 1024),
                integer(Setting.HTTP_MAX_CONNECTIONS, 1, 1_000_000),
                Duration.ofMillis(integer(Setting.HTTP_REQUEST_TIMEOUT_MS, 1000, 3_600_000)),
                Duration.ofSeconds(integer(Setting.HTTP_IDLE_TIMEOUT_S, 1, 86_400)),
                limit(Setting.RATE_LIMIT_TOKEN_PER_S, Setting.RATE_LIMIT_TOKEN_BURST),
                limit(Setting.RATE_LIMIT_ADDRESS_PER_S, Setting.RATE_LIMIT_ADDRESS_BURST));
    }

    /** A rate and its burst (at least the rate, and by default at least the rate); a rate of 0 turns it off. */
    private RateLimiter.Limit limit(Setting perSecond, Setting burstSetting) {
        int rate = integer(perSecond, 0, 1_000_000);
        if (rate == 0) {
            return RateLimiter.Limit.OFF;
        }
        int burst = integer(burstSetting, Math.max(rate, Integer.parseInt(burstSetting.fallback())), 1, 10_000_000);
        if (burst < rate) {
            problems.add(burstSetting.name() + "=" + burst + " must be at least " + perSecond.name() + "=" + rate);
            return RateLimiter.Limit.OFF;
        }
        return new RateLimiter.Limit(rate, burst);
    }

    void problem(String message) {
        problems.add(message);
    }

    void failIfAny() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
