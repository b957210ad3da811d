package io.painjournal.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.painjournal.analytics.AnalyticsRole;
import io.painjournal.analytics.query.InternalApi;
import io.painjournal.analytics.query.InternalTokens;
import io.painjournal.api.ApiRoutes;
import io.painjournal.api.privacy.KafkaPrivacyBudget;
import io.painjournal.app.http.EdgeRouter;
import io.painjournal.app.http.HttpServerVerticle;
import io.painjournal.app.http.OperationsRoutes;
import io.painjournal.app.http.RateLimits;
import io.painjournal.auth.AuthConfig;
import io.painjournal.auth.Role;
import io.painjournal.auth.Tokens;
import io.painjournal.ingest.AnalyticsBacklog;
import io.painjournal.ingest.IngestRole;
import io.painjournal.ingest.IngestService;
import io.painjournal.privacy.DataKeys;
import io.painjournal.privacy.Pseudonyms;
import io.painjournal.query.AnalyticsQueries;
import io.painjournal.topics.Topics;
import io.painjournal.validation.OpenApiDocument;
import io.painjournal.web.ReadinessCheck;
import io.painjournal.web.Route;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.rocksdb.RocksDB;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running process: the embedded broker (when no cluster is configured), the roles named by
 * {@code ROLES}, and the HTTP port serving them. Start with {@link #start}; {@link #close} shuts down
 * in reverse order: stop taking requests, flush and close Kafka clients, stop the broker.
 */
public final class Application implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Application.class);
    static final int TRIAL_TOKEN_SECONDS = 12 * 3600;

    private final AppConfig config;
    private final String bootstrapServers;
    private final Tokens tokens;
    private final Optional<String> generatedSecret;
    private final List<Route> routes;
    private final List<ReadinessCheck> readiness;
    /** What to close, last started first. */
    private final Deque<AutoCloseable> closers;

    private boolean closed;

    private Application(
            AppConfig config,
            String bootstrapServers,
            Tokens tokens,
            Optional<String> generatedSecret,
            List<Route> routes,
            List<ReadinessCheck> readiness,
            Deque<AutoCloseable> closers) {
        this.routes = List.copyOf(routes);
        this.readiness = List.copyOf(readiness);
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.tokens = tokens;
        this.generatedSecret = generatedSecret;
        this.closers = closers;
    }

    /** Starts everything the configuration asks for; returns once the HTTP port is listening. */
    public static Application start(AppConfig config) throws Exception {
        Deque<AutoCloseable> closers = new ArrayDeque<>();
        try {
            return start(config, closers);
        } catch (Exception | Error e) {
            closeAll(closers);
            throw e;
        }
    }

    private static Application start(AppConfig config, Deque<AutoCloseable> closers) throws Exception {
        LOG.info(config.describe());
        Path dataDir = config.dataDir().toAbsolutePath();
        Files.createDirectories(dataDir);
        closers.push(DataDirLock.acquire(dataDir)); // released last, after everything that writes there

        // The embedded broker takes seconds to start, mostly on one core: the rest is set up meanwhile.
        CompletableFuture<EmbeddedKafka> embedded = config.embeddedKafka()
                ? CompletableFuture.supplyAsync(
                        () -> startBroker(dataDir.resolve("kafka"), config.httpPort()), Application::inThread)
                : null;
        if (embedded != null) {
            closers.push(() -> {
                try {
                    embedded.join().close();
                } catch (java.util.concurrent.CompletionException notStarted) {
                    // nothing to close
                }
            });
        }

        PrometheusMeterRegistry registry = Metrics.registry(config.serviceName());
        closers.push(registry::close);
        Vertx vertx = Vertx.builder()
                .with(new VertxOptions()
                        .setMetricsOptions(new MicrometerMetricsOptions()
                                .setEnabled(true)
                                .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE))))
                .withMetrics(new MicrometerMetricsFactory(registry))
                .build();
        closers.push(() -> vertx.close().await(10, TimeUnit.SECONDS));
        RocksDB.loadLibrary(); // ingest's ledger and analytics' stores: the native library is unpacked once

        String bootstrap;
        if (embedded != null) {
            EmbeddedKafka broker = join(embedded);
            bootstrap = broker.bootstrapServers();
        } else {
            bootstrap = config.kafkaBootstrap().orElseThrow();
        }

        Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG,
                "pain-journal-admin"));
        closers.push(() -> admin.close(Duration.ofSeconds(5)));
        short replicationFactor = KafkaTopics.ensure(
                admin,
                config.partitions(),
                config.replicationFactor(),
                config.erasureMaxDelay(),
                config.startupTimeout());
        KeysMigration.runIfNeeded(admin, bootstrap, config.startupTimeout());
        closers.push(new HangingTransactions(admin, java.time.Clock.systemUTC(), registry).start());

        Optional<String> generatedSecret = config.auth().isPresent() ? Optional.empty() : Optional.of(newSecret());
        AuthConfig auth = config.auth().orElseGet(() -> AuthConfig.hmac(generatedSecret.orElseThrow()));
        Tokens tokens = Tokens.create(vertx, auth).await(config.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
        io.painjournal.privacy.MasterKey masterKey = MasterKeys.load(config, dataDir);
        Pseudonyms pseudonyms = new Pseudonyms(masterKey);
        DataKeys dataKeys = new DataKeys(masterKey);
        tokens.bindMetrics(registry);

        List<Route> routes = new ArrayList<>();
        List<ReadinessCheck> readiness = new ArrayList<>();
        readiness.add(new KafkaReachable(vertx, admin));
        String internalToken = config.internalToken()
                .orElseGet(() -> InternalTokens.derive(auth.hmacSecret().orElseGet(Application::newSecret)));
        InternalApi internal = new InternalApi(vertx, internalToken);
        AnalyticsQueries queries = null;
        if (config.runs(AppRole.ANALYTICS)) {
            RetiredState.delete(admin, dataDir.resolve("streams"), config.startupTimeout());
            KafkaTopics.alignExisting(admin, AnalyticsRole.changelogConfigs(), config.startupTimeout());
            AnalyticsRole analytics = AnalyticsRole.start(
                    vertx,
                    bootstrap,
                    dataDir.resolve("streams"),
                    new HostInfo(config.advertisedHost(), config.httpPort()),
                    replicationFactor,
                    config.analyticsThreads(),
                    new AnalyticsRole.Membership(
                            config.analyticsInstanceId().orElseGet(() -> KeptInstanceId.in(dataDir)),
                            config.analyticsSessionTimeout(),
                            config.analyticsStandbys()),
                    internal,
                    registry,
                    pseudonyms,
                    dataKeys,
                    config.erasureMaxDelay());
            closers.push(analytics);
            readiness.add(analytics.readiness());
            routes.addAll(analytics.internalRoutes());
            queries = analytics.queries(config.reportingCurrency(), config.researchMinUsers());
        } else if (config.runs(AppRole.API)) {
            RemoteAnalytics remote = new RemoteAnalytics(internal, config.analyticsUrls());
            queries = remote.queries(config.reportingCurrency(), config.researchMinUsers(), registry);
            readiness.add(remote.readiness());
        }
        // Ingest after analytics: Streams starts its group, changelogs and stores on threads of its own
        // while ingest opens its ledger and reads the data keys (a cold start is ready that much sooner).
        if (config.runs(AppRole.INGEST)) {
            IngestService.Admission admission = IngestService.Admission.OPEN;
            if (config.ingestMaxAnalyticsLag() > 0) {
                AnalyticsBacklog backlog = new AnalyticsBacklog(
                        vertx,
                        admin,
                        AnalyticsRole.APPLICATION_ID,
                        Topics.JOURNAL.name(),
                        config.ingestMaxAnalyticsLag(),
                        Duration.ofMillis(100),
                        registry);
                closers.push(backlog);
                admission = backlog::refusal;
            }
            IngestRole ingest = IngestRole.start(
                    vertx,
                    bootstrap,
                    config.deliveryTimeout(),
                    ledgerDir(dataDir),
                    pseudonyms,
                    dataKeys,
                    admission,
                    registry);
            closers.push(ingest);
            routes.addAll(ingest.routes());
        }
        if (queries != null && config.runs(AppRole.API)) {
            KafkaPrivacyBudget budget = KafkaPrivacyBudget.start(bootstrap, config.researchEpsilonBudget());
            closers.push(budget);
            routes.addAll(new ApiRoutes(queries, config.researchMinUsers(), budget, registry).routes());
        }

        Buffer openApi = Buffer.buffer(resource(OpenApiDocument.RESOURCE));
        RateLimits rateLimits = new RateLimits(config.httpLimits(), registry);
        routes.addAll(0, OperationsRoutes.routes(readiness, registry, openApi));
        Supplier<Router> router = () -> EdgeRouter.router(vertx, tokens, routes, internalToken, rateLimits);
        AtomicInteger connections = new AtomicInteger();
        String deployment = vertx.deployVerticle(
                        () -> new HttpServerVerticle(
                                config.httpHost(), config.httpPort(), config.httpLimits(), connections, router),
                        new DeploymentOptions().setInstances(config.httpInstances()))
                .await(30, TimeUnit.SECONDS);
        // Undeploying shuts the HTTP servers down gracefully; it must run before the roles close.
        closers.push(() ->
                vertx.undeploy(deployment).await(HttpServerVerticle.SHUTDOWN_GRACE.toSeconds() + 5, TimeUnit.SECONDS));

        LOG.info("routes: {}", routes);
        LOG.info(
                "pain-journal listening on {}:{} with roles {} and Kafka at {}{}",
                config.httpHost(),
                config.httpPort(),
                config.roles(),
                bootstrap,
                config.embeddedKafka() ? " (embedded)" : "");
        return new Application(config, bootstrap, tokens, generatedSecret, routes, readiness, closers);
    }

    /**
     * The ingest ledger, keyed by pseudonyms. The ledger of earlier versions ({@code ingest-ledger}) named
     * users by id: it is deleted (it only shapes "duplicate" answers; analytics counts each id once anyway).
     */
    private static Path ledgerDir(Path dataDir) throws IOException {
        Path old = dataDir.resolve("ingest-ledger");
        if (Files.isDirectory(old)) {
            RetiredState.deleteTree(old);
            LOG.info("deleted the ingest ledger of an earlier version (it named users by id)");
        }
        return dataDir.resolve("ingest-ledger-v2");
    }

    private static EmbeddedKafka startBroker(Path dir, int httpPort) {
        try {
            // the broker's first start picks free ports: never the one the HTTP server is about to take
            return EmbeddedKafka.start(dir, java.util.Set.of(httpPort));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void inThread(Runnable task) {
        Thread t = new Thread(task, "embedded-kafka-start");
        t.setDaemon(true);
        t.start();
    }

    /** The broker once started; its failure as it was thrown (a broker that failed to start is not running). */
    private static EmbeddedKafka join(CompletableFuture<EmbeddedKafka> embedded) throws Exception {
        try {
            return embedded.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof java.io.UncheckedIOException io) {
                throw io.getCause();
            }
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = Application.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("resource " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        }
    }

    private static String newSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Waits until every readiness check passes (true), or until the timeout (false). */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<io.vertx.core.Future<Void>> checks =
                    readiness.stream().map(ReadinessCheck::check).toList();
            try {
                io.vertx.core.Future.all(checks).await(5, TimeUnit.SECONDS);
                return true;
            } catch (Exception notYet) {
                Thread.sleep(100);
            }
        }
        return false;
    }

    /** The route table of this process: every route it serves, with who may call it (also logged at start). */
    List<Route> routes() {
        return routes;
    }

    public AppConfig config() {
        return config;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** True when no secret or key was configured and this process made its own. */
    public boolean madeItsOwnSecret() {
        return generatedSecret.isPresent();
    }

    /** Issues a token; only possible when tokens are HS256 (configured or generated secret). */
    public String issueToken(String subject, Set<Role> roles) {
        return tokens.issue(subject, roles, TRIAL_TOKEN_SECONDS);
    }

    /** Graceful: stop HTTP (requests under way finish), flush Kafka, close stores, stop the broker. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("shutting down");
        closeAll(closers);
        LOG.info("stopped");
    }

    private static void closeAll(Deque<AutoCloseable> closers) {
        while (!closers.isEmpty()) {
            try {
                closers.pop().close();
            } catch (Exception e) {
                LOG.warn("error while shutting down", e);
            }
        }
    }
}
