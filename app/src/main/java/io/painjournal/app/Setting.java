package io.painjournal.app;

import io.painjournal.auth.AuthConfig;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Every environment variable the process reads, each described once: its name (the constant's), its
 * default, what it means, and how its value in force is shown in the start-up log. {@link AppConfig#fromEnv}
 * reads them, {@link AppConfig#describe} logs them, and {@link #markdownTable} is the table of
 * docs/CONFIGURATION.md. The order is the log's and the table's.
 */
enum Setting {
    ROLES(
            is("all"),
            "`all` or a comma list of `ingest`, `analytics`, `api`",
            c -> c.roles().stream().sorted().map(AppRole::id).toList().toString()),
    SERVICE_NAME(
            worked("`pain-journal`, or the roles (`ingest`, `ingest+analytics`…)"),
            "the `service` tag on every metric",
            AppConfig::serviceName),
    HTTP_HOST(is("0.0.0.0"), "interface to listen on", AppConfig::httpHost),
    HTTP_PORT(is("8080"), "the one HTTP port of every role in the process", c -> Integer.toString(c.httpPort())),
    HTTP_INSTANCES(
            worked("cores"),
            "HTTP verticle instances (event loops serving requests)",
            c -> Integer.toString(c.httpInstances())),
    ANALYTICS_THREADS(
            is("2"),
            "Kafka Streams threads of the analytics role: each takes some of the partitions it hosts, and they"
                    + " initialise and restore them in parallel (a cold start 6.8-7.6 s instead of 8.1-8.6 s with"
                    + " one); more threads than partitions idle; raise it where analytics has cores of its own",
            c -> Integer.toString(c.analyticsThreads())),
    ANALYTICS_INSTANCE_ID(
            worked("made once, kept in `DATA_DIR/analytics-instance-id`"),
            "the analytics role's static group membership: a restarted instance (after a crash too) is the same"
                    + " member and takes its partitions back at once, not after the session timeout of its dead"
                    + " self. Never the same for two live processes (a copied `DATA_DIR` must drop the file)",
            c -> c.analyticsInstanceId().orElse("(kept in DATA_DIR)")),
    ANALYTICS_SESSION_TIMEOUT_MS(
            is("8000"),
            "how long a silent analytics instance keeps its partitions before the others take them (at least"
                    + " 6000, the brokers' minimum)",
            c -> Long.toString(c.analyticsSessionTimeout().toMillis())),
    ANALYTICS_STANDBY_REPLICAS(
            is("0"),
            "warm copies of each partition's state on other analytics instances, so a failover restores nothing"
                    + " (`1` in `docker-compose.yml`)",
            c -> Integer.toString(c.analyticsStandbys())),
    ADVERTISED_HOST(
            worked("this machine's address"),
            "how other analytics instances and api processes reach this one's `HTTP_PORT`",
            AppConfig::advertisedHost),
    DATA_DIR(
            is("./data"),
            "embedded broker log (and its ports, kept in `DATA_DIR/kafka/ports.properties`), ingest ledger,"
                    + " analytics state",
            c -> c.dataDir().toString()),
    KAFKA_BOOTSTRAP_SERVERS(
            worked("unset"),
            "a cluster to use; unset starts the embedded broker",
            c -> c.kafkaBootstrap().orElse("(embedded broker)")),
    KAFKA_PARTITIONS(
            is("6"), "partitions of the journal topic when it is created", c -> Integer.toString(c.partitions())),
    KAFKA_REPLICATION_FACTOR(
            worked("min(3, brokers)"),
            "replication of created topics",
            c -> c.replicationFactor().map(String::valueOf).orElse("min(3, brokers)")),
    KAFKA_DELIVERY_TIMEOUT_MS(
            is("5000"),
            "how long ingest waits for Kafka before answering 503",
            c -> Long.toString(c.deliveryTimeout().toMillis())),
    INGEST_MAX_ANALYTICS_LAG(
            new Default("0", "`0` (off)"),
            "admission control: while analytics is counting but has more than this many journal events still to"
                    + " count, ingest answers `503` + `Retry-After: 1` to new submissions, so what it accepts is"
                    + " visible within about this many / counting rate (`500` kept freshness p99 under 1 s on the"
                    + " split deployment of `bench/split`, see [PERFORMANCE.md](PERFORMANCE.md)); analytics that"
                    + " commits nothing for 5 s is not waited for",
            c -> c.ingestMaxAnalyticsLag() == 0 ? "0 (off)" : Long.toString(c.ingestMaxAnalyticsLag())),
    KAFKA_STARTUP_TIMEOUT_MS(
            is("60000"),
            "how long start waits for the cluster",
            c -> Long.toString(c.startupTimeout().toMillis())),
    JWT_SECRET(
            worked("made at start"),
            "HS256 secret (at least 32 characters); unset (and no key below): a new one per start, and trial"
                    + " tokens are printed",
            Setting::auth),
    JWT_PUBLIC_KEY(
            worked("unset"),
            "production: your identity provider's PEM public key, to verify its RS256/ES256 tokens",
            Setting::auth),
    JWT_PUBLIC_KEY_FILE(worked("unset"), "the same, read from a PEM file (e.g. a mounted secret)", Setting::auth),
    JWT_JWKS_URL(
            worked("unset"),
            "production: your identity provider's JWKS address; read at start, every 5 min, and when a token"
                    + " names a new key id (at most every 30 s)",
            Setting::auth),
    JWT_ALGORITHM(
            worked("`HS256` / `RS256`"),
            "`HS256` with a secret; `RS256` or `ES256` with a PEM key (a JWKS key carries its own)",
            Setting::auth),
    JWT_ISSUER(worked("unset"), "when set, tokens must carry exactly this `iss`", Setting::auth),
    JWT_AUDIENCE(worked("unset"), "when set, tokens must carry this `aud`", Setting::auth),
    RESEARCH_MIN_USERS(
            is("5"),
            "k of the small-group rule (2 or more): population items, trend weeks and research rows of fewer"
                    + " than k people are suppressed, and more so nothing can be derived (a research request's"
                    + " `minUsers` may raise it)",
            c -> Integer.toString(c.researchMinUsers())),
    RESEARCH_EPSILON_BUDGET(
            is("5"),
            "each researcher's differential-privacy budget per rolling 30 days: a `privacy=dp` answer spends"
                    + " its `epsilon` (default 0.5), a request over the budget is 429 and spends nothing"
                    + " ([PRIVACY.md](PRIVACY.md))",
            c -> Double.toString(c.researchEpsilonBudget())),
    REPORTING_CURRENCY(
            is("GBP"),
            "the ISO 4217 currency whose figure `costPerPointCents` is (`costPerPointByCurrency` has every"
                    + " currency)",
            AppConfig::reportingCurrency),
    ANALYTICS_URL(
            worked("unset"),
            "for `ROLES=api` without analytics: analytics instances, a comma list (the first that answers is"
                    + " asked), e.g. `http://analytics-1:8080,http://analytics-2:8080`",
            c -> c.analyticsUrls().isEmpty() ? "(unset)" : String.join(",", c.analyticsUrls())),
    INTERNAL_TOKEN(
            worked("derived from `JWT_SECRET`"),
            "service token of the `/internal/v1/…` routes between instances (required with a public key or" + " JWKS)",
            c -> c.internalToken().isPresent() ? "(set)" : "(derived from JWT_SECRET)"),
    ERASURE_MAX_DELAY_S(
            is("86400"),
            "how long anything of a forgotten user may stay readable on disk (20 s to 30 days): their data keys'"
                    + " tombstones and their rows' changelog records are compacted away, tombstones dropped and"
                    + " RocksDB files rewritten within fractions of it; their journal records are unreadable from"
                    + " the deletion on",
            c -> Long.toString(c.erasureMaxDelay().toSeconds())),
    MASTER_KEY_FILE(
            worked("made under `DATA_DIR`"),
            "a file holding the master key (base64 of 32 random bytes, e.g. `openssl rand -base64 32`); every"
                    + " process of a deployment must share it, so it is required with `KAFKA_BOOTSTRAP_SERVERS`."
                    + " It keys the pseudonyms that the journal, the stores and the ingest ledger use instead of"
                    + " user ids, and wraps the users' data keys: keep it with the data (a new key orphans the"
                    + " stored rows and makes the journal unreadable). With a KMS, see"
                    + " [RELIABILITY.md](RELIABILITY.md) (Erasure)",
            c -> c.masterKeyFile().map(Path::toString).orElse("(made under DATA_DIR)")),
    LOG_FORMAT(
            is("text"),
            "`text` (one line per event, `[requestId]` after the logger) or `json` (one JSON object per line:"
                    + " `time`, `level`, `logger`, `thread`, `message`, `requestId`, `error`)",
            c -> c.logFormat().name().toLowerCase()),
    LOG_LEVEL(
            is("info"),
            "default level of the application's loggers (Kafka's own stay at `warn`;"
                    + " `-Dpainjournal.log.kafka=info` raises them); `debug` adds an access line per request",
            AppConfig::logLevel),
    HTTP_MAX_HEADER_BYTES(
            is("8192"),
            "request headers, all together; larger: `431`",
            c -> Integer.toString(c.httpLimits().maxHeaderBytes())),
    HTTP_MAX_CONNECTIONS(
            is("10000"),
            "open connections of the process; one more is answered `503` with `Retry-After: 1` and closed",
            c -> Integer.toString(c.httpLimits().maxConnections())),
    HTTP_REQUEST_TIMEOUT_MS(
            is("30000"),
            "a `POST` must be received and answered in this time; a body that trickles in or never comes:"
                    + " `408`, connection closed (reads are not timed: an export streams as long as the client"
                    + " reads)",
            c -> Long.toString(c.httpLimits().requestTimeout().toMillis())),
    HTTP_IDLE_TIMEOUT_S(
            is("60"),
            "a connection with no traffic is closed",
            c -> Long.toString(c.httpLimits().idleTimeout().toSeconds())),
    RATE_LIMIT_TOKEN_PER_S(
            is("20"),
            "requests per second to `/v1/*` of one caller (a token's `sub`, whichever app or address it comes"
                    + " from); above it `429` with `Retry-After`; `0` turns it off",
            c -> Integer.toString(c.httpLimits().perToken().perSecond())),
    RATE_LIMIT_TOKEN_BURST(
            is("100"),
            "requests one caller may make at once before the rate applies",
            c -> Integer.toString(c.httpLimits().perToken().burst())),
    RATE_LIMIT_ADDRESS_PER_S(
            is("200"),
            "requests per second to `/v1/*` of one client address, checked before the token (bad tokens count"
                    + " too); `0` turns it off",
            c -> Integer.toString(c.httpLimits().perAddress().perSecond())),
    RATE_LIMIT_ADDRESS_BURST(
            is("1000"),
            "requests one address may make at once",
            c -> Integer.toString(c.httpLimits().perAddress().burst()));

    /**
     * A default: {@code value} is read as if the variable were set to it; {@code shown} is what the table
     * says. A default worked out at start (or none) has no value, only words.
     */
    record Default(String value, String shown) {}

    private final Default fallback;
    private final String meaning;
    private final Function<AppConfig, String> inForce;

    Setting(Default fallback, String meaning, Function<AppConfig, String> inForce) {
        this.fallback = fallback;
        this.meaning = meaning;
        this.inForce = inForce;
    }

    /** A default the variable could be set to, shown as it would be written. */
    private static Default is(String value) {
        return new Default(value, "`" + value + "`");
    }

    /** A default worked out at start, or none: only described. */
    private static Default worked(String shown) {
        return new Default(null, shown);
    }

    /** The JWT_* settings are logged together, as the authentication they make up. */
    private static String auth(AppConfig c) {
        return c.auth().map(AuthConfig::describe).orElse("(none: a secret is made at start)");
    }

    /** The value read when the variable is unset; only for a setting with a fixed default. */
    String fallback() {
        if (fallback.value() == null) {
            throw new IllegalStateException(name() + " has no fixed default");
        }
        return fallback.value();
    }

    /** The name in the start-up log: the variable's, or {@code JWT_*} for the authentication settings. */
    String logName() {
        return name().startsWith("JWT_") ? "JWT_*" : name();
    }

    /** This setting's value in force in {@code config}, as logged (never a secret). */
    String inForce(AppConfig config) {
        return inForce.apply(config);
    }

    /** Every setting, a row each: {@code | variable | default | meaning |}. */
    static String markdownTable() {
        StringBuilder table = new StringBuilder("| variable | default | meaning |\n|---|---|---|\n");
        for (Setting s : values()) {
            table.append("| `")
                    .append(s.name())
                    .append("` | ")
                    .append(s.fallback.shown())
                    .append(" | ")
                    .append(s.meaning)
                    .append(" |\n");
        }
        return table.toString();
    }
}
