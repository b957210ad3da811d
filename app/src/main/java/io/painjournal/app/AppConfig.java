package io.painjournal.app;

import io.painjournal.auth.AuthConfig;
import io.painjournal.privacy.MasterKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the process is told by its environment, read once at start and never again. Each component
 * is the value of a {@link Setting} (the variables, their defaults and meanings are listed there, once).
 *
 * @param auth       from the {@code JWT_*} settings; empty when none is set (the launcher makes a secret)
 * @param masterKey  the key read from {@code MASTER_KEY_FILE} (never printed)
 * @param httpLimits the {@code HTTP_MAX_*}, {@code HTTP_*_TIMEOUT_*} and {@code RATE_LIMIT_*} settings
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
        SettingReader r = new SettingReader(env);
        String host = r.string(Setting.HTTP_HOST);
        int port = r.integer(Setting.HTTP_PORT, 0, 65535);
        String advertised = r.string(Setting.ADVERTISED_HOST, localAddress());
        int instances = r.integer(Setting.HTTP_INSTANCES, Runtime.getRuntime().availableProcessors(), 1, 64);
        int analyticsThreads = r.integer(Setting.ANALYTICS_THREADS, 1, 64);
        Optional<String> instanceId = r.optional(Setting.ANALYTICS_INSTANCE_ID);
        instanceId
                .filter(id -> !id.matches("[A-Za-z0-9._-]{1,200}"))
                .ifPresent(id -> r.problem(
                        "ANALYTICS_INSTANCE_ID=" + id + " must be 1 to 200 letters, digits, '.', '_' or '-'"));
        Duration sessionTimeout = Duration.ofMillis(r.integer(Setting.ANALYTICS_SESSION_TIMEOUT_MS, 6000, 300_000));
        int standbys = r.integer(Setting.ANALYTICS_STANDBY_REPLICAS, 0, 10);
        Path dataDir = Path.of(r.string(Setting.DATA_DIR));
        Set<AppRole> roles = r.roles();
        Optional<String> bootstrap = r.optional(Setting.KAFKA_BOOTSTRAP_SERVERS);
        int partitions = r.integer(Setting.KAFKA_PARTITIONS, 1, 1000);
        Optional<Short> rf = r.optional(Setting.KAFKA_REPLICATION_FACTOR)
                .map(v -> (short) r.integer(Setting.KAFKA_REPLICATION_FACTOR, 1, 1, 10));
        Duration delivery = Duration.ofMillis(r.integer(Setting.KAFKA_DELIVERY_TIMEOUT_MS, 1500, 120_000));
        int maxAnalyticsLag = r.integer(Setting.INGEST_MAX_ANALYTICS_LAG, 0, 100_000_000);
        Duration startup = Duration.ofMillis(r.integer(Setting.KAFKA_STARTUP_TIMEOUT_MS, 1000, 600_000));
        Optional<AuthConfig> auth = r.auth();
        int minUsers = r.integer(Setting.RESEARCH_MIN_USERS, 2, 1_000_000);
        double epsilonBudget = r.decimal(Setting.RESEARCH_EPSILON_BUDGET, 0.01, 1000);
        String currency = r.string(Setting.REPORTING_CURRENCY);
        if (!currency.matches("[A-Z]{3}")) {
            r.problem(
                    "REPORTING_CURRENCY=" + currency + " must be an ISO 4217 code of three capital letters, e.g. GBP");
        }
        List<String> analyticsUrls = r.urls(Setting.ANALYTICS_URL);
        Optional<String> internalToken = r.optional(Setting.INTERNAL_TOKEN);
        Optional<Path> masterKeyFile = r.optional(Setting.MASTER_KEY_FILE).map(Path::of);
        Optional<MasterKey> masterKey = masterKeyFile.flatMap(r::masterKey);
        Duration erasureMaxDelay = Duration.ofSeconds(r.integer(Setting.ERASURE_MAX_DELAY_S, 20, 30 * 86_400));
        if (masterKeyFile.isEmpty() && bootstrap.isPresent()) {
            r.problem("with KAFKA_BOOTSTRAP_SERVERS set, every process must share one master key: set "
                    + "MASTER_KEY_FILE (make one with `openssl rand -base64 32 > master.key`)");
        }
        String serviceName = r.string(Setting.SERVICE_NAME, defaultServiceName(roles));
        LogFormat logFormat =
                r.choice(Setting.LOG_FORMAT, List.of("text", "json")).equals("json") ? LogFormat.JSON : LogFormat.TEXT;
        String logLevel = r.choice(Setting.LOG_LEVEL, LOG_LEVELS);
        HttpLimits limits = r.httpLimits();
        if (roles.contains(AppRole.API) && !roles.contains(AppRole.ANALYTICS) && analyticsUrls.isEmpty()) {
            r.problem("ROLES=" + r.string(Setting.ROLES) + " runs api without analytics: set ANALYTICS_URL to an "
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
     * Every setting in force, one {@code NAME=value} per {@link Setting} ({@code JWT_*} together), for the
     * start-up log. Secrets and keys are never shown, only whether they are set.
     */
    public String describe() {
        Map<String, String> inForce = new LinkedHashMap<>();
        for (Setting s : Setting.values()) {
            inForce.putIfAbsent(s.logName(), s.inForce(this));
        }
        StringBuilder b = new StringBuilder("configuration:");
        inForce.forEach((name, value) -> b.append(' ').append(name).append('=').append(value));
        return b.toString();
    }

    private static String localAddress() {
        try {
            return java.net.InetAddress.getLocalHost().getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return "127.0.0.1";
        }
    }
}
