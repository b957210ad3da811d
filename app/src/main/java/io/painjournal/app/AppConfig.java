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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the process is told by its environment, read once at start and never again. Every
 * variable is in the README's configuration table.
 *
 * @param httpHost            {@code HTTP_HOST}, default 0.0.0.0
 * @param httpPort            {@code HTTP_PORT}, default 8080
 * @param advertisedHost      {@code ADVERTISED_HOST}: how peers reach this process (interactive queries);
 *                            default this machine's address
 * @param httpInstances       {@code HTTP_INSTANCES}: HTTP verticle instances, default one per core
 * @param analyticsThreads    {@code ANALYTICS_THREADS}: Kafka Streams threads of the analytics role, default 2:
 *                            they initialise and restore their tasks in parallel (a faster start and restore;
 *                            for draining a backlog a second one gained nothing on two cores shared with
 *                            ingest); more than the partitions it hosts would idle
 * @param analyticsInstanceId {@code ANALYTICS_INSTANCE_ID}: the analytics role's static group membership id; default
 *                            one made at the first start and kept in {@code DATA_DIR/analytics-instance-id}, so a
 *                            restarted instance takes its partitions back at once instead of after the session
 *                            timeout of its dead self
 * @param analyticsSessionTimeout {@code ANALYTICS_SESSION_TIMEOUT_MS}: how long the group waits for a silent
 *                            analytics instance before moving its partitions, default 8000
 * @param analyticsStandbys   {@code ANALYTICS_STANDBY_REPLICAS}: warm copies of each partition's state on other
 *                            analytics instances, default 0 (1 in the split deployment)
 * @param dataDir             {@code DATA_DIR}, default ./data
 * @param roles               {@code ROLES}: {@code all} (default) or a comma list of ingest, analytics, api
 * @param kafkaBootstrap      {@code KAFKA_BOOTSTRAP_SERVERS}; empty starts the embedded broker
 * @param partitions          {@code KAFKA_PARTITIONS}: partitions of the journal topic, default 6
 * @param replicationFactor   {@code KAFKA_REPLICATION_FACTOR}; empty means min(3, brokers)
 * @param deliveryTimeout     {@code KAFKA_DELIVERY_TIMEOUT_MS}: how long ingest waits for Kafka before 503
 * @param ingestMaxAnalyticsLag {@code INGEST_MAX_ANALYTICS_LAG}: admission control; while analytics is counting
 *                            but has more than this many events still to count, ingest answers 503 + Retry-After
 *                            ({@code io.painjournal.ingest.AnalyticsBacklog}); default 0, off
 * @param startupTimeout      {@code KAFKA_STARTUP_TIMEOUT_MS}: how long start waits for Kafka to answer
 * @param auth                {@code JWT_SECRET}, {@code JWT_PUBLIC_KEY}, {@code JWT_ALGORITHM}
 * @param researchMinUsers    {@code RESEARCH_MIN_USERS}: k of the research export's k-anonymity, default 5
 * @param researchEpsilonBudget {@code RESEARCH_EPSILON_BUDGET}: each researcher's epsilon per 30 days for
 *                            {@code privacy=dp} answers, default 5
 * @param reportingCurrency   {@code REPORTING_CURRENCY}: the ISO 4217 currency of {@code costPerPointCents}, default GBP
 * @param analyticsUrls       {@code ANALYTICS_URL}: where an api-only process finds analytics instances (a comma
 *                            list; the first that answers is asked)
 * @param internalToken       {@code INTERNAL_TOKEN}: service token between instances; default derived from JWT_SECRET
 * @param masterKeyFile       {@code MASTER_KEY_FILE}: the master key (base64, 256 bits) every process of a deployment
 *                            shares; required with an external Kafka; else made under DATA_DIR
 * @param masterKey           the key read from that file (never printed)
 * @param erasureMaxDelay     {@code ERASURE_MAX_DELAY_S}: how long a forgotten user's data may live on physically
 * @param serviceName         {@code SERVICE_NAME}: the {@code service} tag of every metric; default from the roles
 * @param logFormat           {@code LOG_FORMAT}: {@code text} (default) or {@code json}, one object per line
 * @param logLevel            {@code LOG_LEVEL}: default level of this application's loggers, default info
 * @param httpLimits          {@code HTTP_MAX_*}, {@code HTTP_*_TIMEOUT_*}, {@code RATE_LIMIT_*}: see {@link HttpLimits}
 */
public record AppConfig(
        String httpHost,
        int httpPort,
        String advertisedHost,
        int httpInstances,
        int analyticsThreads,
        Optional<String> analyticsInstanceId,
        Duration analyticsSessionTimeout,
        int analyticsStandbys,
        Path dataDir,
        Set<AppRole> roles,
        Optional<String> kafkaBootstrap,
        int partitions,
        Optional<Short> replicationFactor,
        Duration deliveryTimeout,
        long ingestMaxAnalyticsLag,
        Duration startupTimeout,
        Optional<AuthConfig> auth,
        int researchMinUsers,
        double researchEpsilonBudget,
        String reportingCurrency,
        List<String> analyticsUrls,
        Optional<String> internalToken,
        Optional<Path> masterKeyFile,
        Optional<MasterKey> masterKey,
        Duration erasureMaxDelay,
        String serviceName,
        LogFormat logFormat,
        String logLevel,
        HttpLimits httpLimits) {

    /** How log lines are written. */
    public enum LogFormat {
        TEXT,
        JSON
    }

    /** Levels LOG_LEVEL may name (those of slf4j). */
    static final List<String> LOG_LEVELS = List.of("trace", "debug", "info", "warn", "error");

    public AppConfig {
        roles = Set.copyOf(roles);
        analyticsUrls = List.copyOf(analyticsUrls);
    }

    public boolean runs(AppRole role) {
        return roles.contains(role);
    }

    public boolean embeddedKafka() {
        return kafkaBootstrap.isEmpty();
    }

    public static AppConfig fromEnv() {
        return fromEnv(System.getenv());
    }

    /** Reads and checks every variable; all problems are reported together. */
    public static AppConfig fromEnv(Map<String, String> env) {
        Reader r = new Reader(env);
        String host = r.string("HTTP_HOST", "0.0.0.0");
        int port = r.integer("HTTP_PORT", 8080, 0, 65535);
        String advertised = r.string("ADVERTISED_HOST", localAddress());
        int instances = r.integer("HTTP_INSTANCES", Runtime.getRuntime().availableProcessors(), 1, 64);
        int analyticsThreads = r.integer("ANALYTICS_THREADS", 2, 1, 64);
        Optional<String> instanceId = r.optional("ANALYTICS_INSTANCE_ID");
        instanceId
                .filter(id -> !id.matches("[A-Za-z0-9._-]{1,200}"))
                .ifPresent(id -> r.problem(
                        "ANALYTICS_INSTANCE_ID=" + id + " must be 1 to 200 letters, digits, '.', '_' or '-'"));
        Duration sessionTimeout = Duration.ofMillis(r.integer("ANALYTICS_SESSION_TIMEOUT_MS", 8000, 6000, 300_000));
        int standbys = r.integer("ANALYTICS_STANDBY_REPLICAS", 0, 0, 10);
        Path dataDir = Path.of(r.string("DATA_DIR", "./data"));
        Set<AppRole> roles = r.roles();
        Optional<String> bootstrap = r.optional("KAFKA_BOOTSTRAP_SERVERS");
        int partitions = r.integer("KAFKA_PARTITIONS", 6, 1, 1000);
        Optional<Short> rf = r.optional("KAFKA_REPLICATION_FACTOR")
                .map(v -> (short) r.integer("KAFKA_REPLICATION_FACTOR", 1, 1, 10));
        Duration delivery = Duration.ofMillis(r.integer("KAFKA_DELIVERY_TIMEOUT_MS", 5000, 1500, 120_000));
        int maxAnalyticsLag = r.integer("INGEST_MAX_ANALYTICS_LAG", 0, 0, 100_000_000);
        Duration startup = Duration.ofMillis(r.integer("KAFKA_STARTUP_TIMEOUT_MS", 60_000, 1000, 600_000));
        Optional<AuthConfig> auth = r.auth();
        int minUsers = r.integer("RESEARCH_MIN_USERS", 5, 2, 1_000_000);
        double epsilonBudget = r.decimal("RESEARCH_EPSILON_BUDGET", 5, 0.01, 1000);
        String currency = r.string("REPORTING_CURRENCY", "GBP");
        if (!currency.matches("[A-Z]{3}")) {
            r.problem(
                    "REPORTING_CURRENCY=" + currency + " must be an ISO 4217 code of three capital letters, e.g. GBP");
        }
        List<String> analyticsUrls = r.urls("ANALYTICS_URL");
        Optional<String> internalToken = r.optional("INTERNAL_TOKEN");
        Optional<Path> masterKeyFile = r.optional("MASTER_KEY_FILE").map(Path::of);
        Optional<MasterKey> masterKey = masterKeyFile.flatMap(r::masterKey);
        Duration erasureMaxDelay = Duration.ofSeconds(r.integer("ERASURE_MAX_DELAY_S", 86_400, 20, 30 * 86_400));
        if (masterKeyFile.isEmpty() && bootstrap.isPresent()) {
            r.problem("with KAFKA_BOOTSTRAP_SERVERS set, every process must share one master key: set "
                    + "MASTER_KEY_FILE (make one with `openssl rand -base64 32 > master.key`)");
        }
        String serviceName = r.string("SERVICE_NAME", defaultServiceName(roles));
        LogFormat logFormat =
                r.choice("LOG_FORMAT", "text", List.of("text", "json")).equals("json")
                        ? LogFormat.JSON
                        : LogFormat.TEXT;
        String logLevel = r.choice("LOG_LEVEL", "info", LOG_LEVELS);
        HttpLimits limits = r.httpLimits();
        if (roles.contains(AppRole.API) && !roles.contains(AppRole.ANALYTICS) && analyticsUrls.isEmpty()) {
            r.problem("ROLES=" + r.string("ROLES", "all") + " runs api without analytics: set ANALYTICS_URL to an "
                    + "analytics instance, e.g. http://analytics:8080");
        }
        if (auth.isPresent()
                && !auth.get().canIssue()
                && internalToken.isEmpty()
                && (roles.contains(AppRole.ANALYTICS) || roles.contains(AppRole.API))) {
            r.problem("with JWT_PUBLIC_KEY, JWT_PUBLIC_KEY_FILE or JWT_JWKS_URL there is no shared secret to derive "
                    + "the service token from: set INTERNAL_TOKEN (the same on every analytics and api process)");
        } else if (!analyticsUrls.isEmpty() && auth.isEmpty() && internalToken.isEmpty()) {
            r.problem("ANALYTICS_URL needs a shared JWT_SECRET or INTERNAL_TOKEN to talk to analytics");
        }
        r.failIfAny();
        return new AppConfig(
                host,
                port,
                advertised,
                instances,
                analyticsThreads,
                instanceId,
                sessionTimeout,
                standbys,
                dataDir,
                roles,
                bootstrap,
                partitions,
                rf,
                delivery,
                maxAnalyticsLag,
                startup,
                auth,
                minUsers,
                epsilonBudget,
                currency,
                analyticsUrls,
                internalToken,
                masterKeyFile,
                masterKey,
                erasureMaxDelay,
                serviceName,
                logFormat,
                logLevel,
                limits);
    }

    /** {@code pain-journal} for every role, else the roles joined by {@code +}, e.g. {@code ingest+analytics}. */
    static String defaultServiceName(Set<AppRole> roles) {
        if (roles.containsAll(EnumSet.allOf(AppRole.class))) {
            return "pain-journal";
        }
        return String.join("+", roles.stream().sorted().map(AppRole::id).toList());
    }

    /**
     * Every setting in force, one {@code NAME=value} per variable of the configuration table, for the
     * start-up log. Secrets and keys are never shown, only whether they are set.
     */
    public String describe() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("ROLES", roles.stream().sorted().map(AppRole::id).toList().toString());
        v.put("SERVICE_NAME", serviceName);
        v.put("HTTP_HOST", httpHost);
        v.put("HTTP_PORT", Integer.toString(httpPort));
        v.put("HTTP_INSTANCES", Integer.toString(httpInstances));
        v.put("ANALYTICS_THREADS", Integer.toString(analyticsThreads));
        v.put("ANALYTICS_INSTANCE_ID", analyticsInstanceId.orElse("(kept in DATA_DIR)"));
        v.put("ANALYTICS_SESSION_TIMEOUT_MS", Long.toString(analyticsSessionTimeout.toMillis()));
        v.put("ANALYTICS_STANDBY_REPLICAS", Integer.toString(analyticsStandbys));
        v.put("ADVERTISED_HOST", advertisedHost);
        v.put("DATA_DIR", dataDir.toString());
        v.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap.orElse("(embedded broker)"));
        v.put("KAFKA_PARTITIONS", Integer.toString(partitions));
        v.put("KAFKA_REPLICATION_FACTOR", replicationFactor.map(String::valueOf).orElse("min(3, brokers)"));
        v.put("KAFKA_DELIVERY_TIMEOUT_MS", Long.toString(deliveryTimeout.toMillis()));
        v.put(
                "INGEST_MAX_ANALYTICS_LAG",
                ingestMaxAnalyticsLag == 0 ? "0 (off)" : Long.toString(ingestMaxAnalyticsLag));
        v.put("KAFKA_STARTUP_TIMEOUT_MS", Long.toString(startupTimeout.toMillis()));
        v.put("JWT_*", auth.map(AuthConfig::describe).orElse("(none: a secret is made at start)"));
        v.put("RESEARCH_MIN_USERS", Integer.toString(researchMinUsers));
        v.put("RESEARCH_EPSILON_BUDGET", Double.toString(researchEpsilonBudget));
        v.put("REPORTING_CURRENCY", reportingCurrency);
        v.put("ANALYTICS_URL", analyticsUrls.isEmpty() ? "(unset)" : String.join(",", analyticsUrls));
        v.put("INTERNAL_TOKEN", internalToken.isPresent() ? "(set)" : "(derived from JWT_SECRET)");
        v.put("ERASURE_MAX_DELAY_S", Long.toString(erasureMaxDelay.toSeconds()));
        v.put("MASTER_KEY_FILE", masterKeyFile.map(Path::toString).orElse("(made under DATA_DIR)"));
        v.put("LOG_FORMAT", logFormat.name().toLowerCase());
        v.put("LOG_LEVEL", logLevel);
        v.put("HTTP_MAX_HEADER_BYTES", Integer.toString(httpLimits.maxHeaderBytes()));
        v.put("HTTP_MAX_CONNECTIONS", Integer.toString(httpLimits.maxConnections()));
        v.put(
                "HTTP_REQUEST_TIMEOUT_MS",
                Long.toString(httpLimits.requestTimeout().toMillis()));
        v.put("HTTP_IDLE_TIMEOUT_S", Long.toString(httpLimits.idleTimeout().toSeconds()));
        v.put("RATE_LIMIT_TOKEN_PER_S", Integer.toString(httpLimits.perToken().perSecond()));
        v.put("RATE_LIMIT_TOKEN_BURST", Integer.toString(httpLimits.perToken().burst()));
        v.put(
                "RATE_LIMIT_ADDRESS_PER_S",
                Integer.toString(httpLimits.perAddress().perSecond()));
        v.put(
                "RATE_LIMIT_ADDRESS_BURST",
                Integer.toString(httpLimits.perAddress().burst()));
        StringBuilder b = new StringBuilder("configuration:");
        v.forEach((name, value) -> b.append(' ').append(name).append('=').append(value));
        return b.toString();
    }

    private static String localAddress() {
        try {
            return java.net.InetAddress.getLocalHost().getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    private static final class Reader {
        private final Map<String, String> env;
        private final List<String> problems = new ArrayList<>();

        Reader(Map<String, String> env) {
            this.env = env;
        }

        Optional<String> optional(String name) {
            String v = env.get(name);
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
        }

        String string(String name, String fallback) {
            return optional(name).orElse(fallback);
        }

        String choice(String name, String fallback, List<String> allowed) {
            String v = string(name, fallback).toLowerCase(Locale.ROOT);
            if (allowed.contains(v)) {
                return v;
            }
            problems.add(name + "=" + v + " must be one of " + String.join(", ", allowed));
            return fallback;
        }

        /** A comma list of http(s) base addresses, trailing slashes dropped. */
        List<String> urls(String name) {
            List<String> urls = new ArrayList<>();
            for (String part : string(name, "").split(",")) {
                String u = part.trim().replaceAll("/+$", "");
                if (u.isEmpty()) {
                    continue;
                }
                if (!(u.startsWith("http://") || u.startsWith("https://"))) {
                    problems.add(name + ": '" + u + "' is not an http(s) address, e.g. http://analytics:8080");
                    continue;
                }
                urls.add(u);
            }
            return urls;
        }

        int integer(String name, int fallback, int min, int max) {
            Optional<String> v = optional(name);
            if (v.isEmpty()) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(v.get());
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(name + "=" + v.get() + " must be a whole number from " + min + " to " + max);
            return fallback;
        }

        double decimal(String name, double fallback, double min, double max) {
            Optional<String> v = optional(name);
            if (v.isEmpty()) {
                return fallback;
            }
            try {
                double n = Double.parseDouble(v.get());
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(name + "=" + v.get() + " must be a number from " + min + " to " + max);
            return fallback;
        }

        Set<AppRole> roles() {
            String v = string("ROLES", "all");
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
            Optional<String> secret = optional("JWT_SECRET");
            Optional<String> key = optional("JWT_PUBLIC_KEY");
            Optional<String> keyFile = optional("JWT_PUBLIC_KEY_FILE");
            Optional<String> jwks = optional("JWT_JWKS_URL");
            Optional<String> issuer = optional("JWT_ISSUER");
            Optional<String> audience = optional("JWT_AUDIENCE");
            String algorithm = string("JWT_ALGORITHM", secret.isPresent() ? AuthConfig.HS256 : "RS256");
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
            HttpLimits d = HttpLimits.DEFAULTS;
            return new HttpLimits(
                    integer("HTTP_MAX_HEADER_BYTES", d.maxHeaderBytes(), 1024, 1024 * 1024),
                    integer("HTTP_MAX_CONNECTIONS", d.maxConnections(), 1, 1_000_000),
                    Duration.ofMillis(integer(
                            "HTTP_REQUEST_TIMEOUT_MS", (int) d.requestTimeout().toMillis(), 1000, 3_600_000)),
                    Duration.ofSeconds(
                            integer("HTTP_IDLE_TIMEOUT_S", (int) d.idleTimeout().toSeconds(), 1, 86_400)),
                    limit("RATE_LIMIT_TOKEN", d.perToken()),
                    limit("RATE_LIMIT_ADDRESS", d.perAddress()));
        }

        /** {@code <prefix>_PER_S} and {@code <prefix>_BURST}; a rate of 0 turns the limit off. */
        private RateLimiter.Limit limit(String prefix, RateLimiter.Limit fallback) {
            int rate = integer(prefix + "_PER_S", fallback.perSecond(), 0, 1_000_000);
            if (rate == 0) {
                return RateLimiter.Limit.OFF;
            }
            int burst = integer(prefix + "_BURST", Math.max(rate, fallback.burst()), 1, 10_000_000);
            if (burst < rate) {
                problems.add(prefix + "_BURST=" + burst + " must be at least " + prefix + "_PER_S=" + rate);
                return fallback;
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
}
