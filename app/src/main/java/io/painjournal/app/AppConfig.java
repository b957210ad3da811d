package io.painjournal.app;

import io.painjournal.auth.AuthConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
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
 * @param dataDir             {@code DATA_DIR}, default ./data
 * @param roles               {@code ROLES}: {@code all} (default) or a comma list of ingest, analytics, api
 * @param kafkaBootstrap      {@code KAFKA_BOOTSTRAP_SERVERS}; empty starts the embedded broker
 * @param partitions          {@code KAFKA_PARTITIONS}: partitions of the journal topic, default 6
 * @param replicationFactor   {@code KAFKA_REPLICATION_FACTOR}; empty means min(3, brokers)
 * @param deliveryTimeout     {@code KAFKA_DELIVERY_TIMEOUT_MS}: how long ingest waits for Kafka before 503
 * @param startupTimeout      {@code KAFKA_STARTUP_TIMEOUT_MS}: how long start waits for Kafka to answer
 * @param auth                {@code JWT_SECRET}, {@code JWT_PUBLIC_KEY}, {@code JWT_ALGORITHM}
 * @param researchMinUsers    {@code RESEARCH_MIN_USERS}: k of the research export's k-anonymity, default 5
 * @param analyticsUrl        {@code ANALYTICS_URL}: where an api-only process finds analytics instances
 * @param internalToken       {@code INTERNAL_TOKEN}: service token between instances; default derived from JWT_SECRET
 */
public record AppConfig(
        String httpHost,
        int httpPort,
        String advertisedHost,
        int httpInstances,
        Path dataDir,
        Set<AppRole> roles,
        Optional<String> kafkaBootstrap,
        int partitions,
        Optional<Short> replicationFactor,
        Duration deliveryTimeout,
        Duration startupTimeout,
        Optional<AuthConfig> auth,
        int researchMinUsers,
        Optional<String> analyticsUrl,
        Optional<String> internalToken) {

    public AppConfig {
        roles = Set.copyOf(roles);
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
        Path dataDir = Path.of(r.string("DATA_DIR", "./data"));
        Set<AppRole> roles = r.roles();
        Optional<String> bootstrap = r.optional("KAFKA_BOOTSTRAP_SERVERS");
        int partitions = r.integer("KAFKA_PARTITIONS", 6, 1, 1000);
        Optional<Short> rf = r.optional("KAFKA_REPLICATION_FACTOR")
                .map(v -> (short) r.integer("KAFKA_REPLICATION_FACTOR", 1, 1, 10));
        Duration delivery = Duration.ofMillis(r.integer("KAFKA_DELIVERY_TIMEOUT_MS", 5000, 1500, 120_000));
        Duration startup = Duration.ofMillis(r.integer("KAFKA_STARTUP_TIMEOUT_MS", 60_000, 1000, 600_000));
        Optional<AuthConfig> auth = r.auth();
        int minUsers = r.integer("RESEARCH_MIN_USERS", 5, 2, 1_000_000);
        Optional<String> analyticsUrl = r.optional("ANALYTICS_URL").map(u -> u.replaceAll("/+$", ""));
        Optional<String> internalToken = r.optional("INTERNAL_TOKEN");
        if (roles.contains(AppRole.API) && !roles.contains(AppRole.ANALYTICS) && analyticsUrl.isEmpty()) {
            r.problem("ROLES=" + r.string("ROLES", "all") + " runs api without analytics: set ANALYTICS_URL to an "
                    + "analytics instance, e.g. http://analytics:8080");
        }
        if (analyticsUrl.isPresent() && auth.isEmpty() && internalToken.isEmpty()) {
            r.problem("ANALYTICS_URL needs a shared JWT_SECRET or INTERNAL_TOKEN to talk to analytics");
        }
        r.failIfAny();
        return new AppConfig(host, port, advertised, instances, dataDir, roles, bootstrap, partitions, rf, delivery,
                startup, auth, minUsers, analyticsUrl, internalToken);
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

        Optional<AuthConfig> auth() {
            Optional<String> secret = optional("JWT_SECRET");
            Optional<String> key = optional("JWT_PUBLIC_KEY");
            if (secret.isEmpty() && key.isEmpty()) {
                return Optional.empty(); // the launcher makes a secret and prints trial tokens
            }
            String algorithm = string("JWT_ALGORITHM", secret.isPresent() ? AuthConfig.HS256 : "RS256");
            try {
                return Optional.of(new AuthConfig(secret, key, algorithm));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                return Optional.empty();
            }
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
