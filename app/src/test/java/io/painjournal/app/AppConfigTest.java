package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class AppConfigTest {

    @Test
    void defaultsRunEverythingOnTheEmbeddedBroker() {
        AppConfig c = AppConfig.fromEnv(Map.of());
        assertEquals(8080, c.httpPort());
        assertEquals(Path.of("./data"), c.dataDir());
        assertEquals(EnumSet.allOf(AppRole.class), c.roles());
        assertTrue(c.embeddedKafka());
        assertEquals(6, c.partitions());
        assertEquals(Optional.empty(), c.replicationFactor());
        assertEquals(Duration.ofSeconds(5), c.deliveryTimeout());
        assertEquals(5, c.researchMinUsers());
        assertTrue(c.auth().isEmpty(), "no secret: the launcher makes one");
    }

    @Test
    void readsEveryVariable() {
        AppConfig c = AppConfig.fromEnv(withAll(Map.of(
                "HTTP_PORT",
                "9090",
                "DATA_DIR",
                "/var/lib/pj",
                "ROLES",
                "ingest, api",
                "KAFKA_BOOTSTRAP_SERVERS",
                "kafka:9092",
                "KAFKA_PARTITIONS",
                "12",
                "KAFKA_REPLICATION_FACTOR",
                "3",
                "KAFKA_DELIVERY_TIMEOUT_MS",
                "8000",
                "JWT_SECRET",
                "x".repeat(32),
                "RESEARCH_MIN_USERS",
                "10",
                "ANALYTICS_URL",
                "http://analytics:8080/")));
        assertEquals(9090, c.httpPort());
        assertEquals(Path.of("/var/lib/pj"), c.dataDir());
        assertEquals(EnumSet.of(AppRole.INGEST, AppRole.API), c.roles());
        assertFalse(c.runs(AppRole.ANALYTICS));
        assertEquals(Optional.of("kafka:9092"), c.kafkaBootstrap());
        assertFalse(c.embeddedKafka());
        assertEquals(12, c.partitions());
        assertEquals(Optional.of((short) 3), c.replicationFactor());
        assertEquals(Duration.ofSeconds(8), c.deliveryTimeout());
        assertEquals("HS256", c.auth().orElseThrow().algorithm());
        assertEquals(10, c.researchMinUsers());
        assertEquals(List.of("http://analytics:8080"), c.analyticsUrls());
        assertEquals("EUR", c.reportingCurrency());
        assertTrue(c.masterKey().isPresent());
        assertFalse(
                c.describe().contains(readKey()) || c.toString().contains(readKey()), "the key itself is never logged");
    }

    /** The given variables plus a master key file and a reporting currency. */
    private static Map<String, String> withAll(Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("MASTER_KEY_FILE", TestApps.masterKeyFile());
        all.put("REPORTING_CURRENCY", "EUR");
        return all;
    }

    private static String readKey() {
        try {
            return java.nio.file.Files.readString(Path.of(TestApps.masterKeyFile()))
                    .strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anExternalKafkaNeedsASharedMasterKeyAndAGoodOne() {
        ConfigException missing = assertThrows(
                ConfigException.class, () -> AppConfig.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")));
        assertTrue(missing.getMessage().contains("MASTER_KEY_FILE"), missing.getMessage());
        ConfigException bad = assertThrows(
                ConfigException.class, () -> AppConfig.fromEnv(Map.of("MASTER_KEY_FILE", "/nonexistent/master.key")));
        assertTrue(bad.getMessage().contains("cannot be read"), bad.getMessage());
        ConfigException currency =
                assertThrows(ConfigException.class, () -> AppConfig.fromEnv(Map.of("REPORTING_CURRENCY", "pounds")));
        assertTrue(currency.getMessage().contains("ISO 4217"), currency.getMessage());
    }

    @Test
    void anApiWithoutAnalyticsMustBeToldWhereAnalyticsIs() {
        ConfigException e = assertThrows(
                ConfigException.class, () -> AppConfig.fromEnv(Map.of("ROLES", "api", "JWT_SECRET", "x".repeat(32))));
        assertTrue(e.getMessage().contains("set ANALYTICS_URL"), e.getMessage());
        ConfigException noSecret = assertThrows(
                ConfigException.class,
                () -> AppConfig.fromEnv(Map.of("ROLES", "api", "ANALYTICS_URL", "http://analytics:8080")));
        assertTrue(noSecret.getMessage().contains("JWT_SECRET or INTERNAL_TOKEN"), noSecret.getMessage());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> AppConfig.fromEnv(Map.of(
                        "HTTP_PORT",
                        "http",
                        "ROLES",
                        "ingest,reporting",
                        "KAFKA_PARTITIONS",
                        "0",
                        "JWT_SECRET",
                        "short",
                        "RESEARCH_MIN_USERS",
                        "1")));
        String m = e.getMessage();
        assertTrue(m.contains("HTTP_PORT=http"), m);
        assertTrue(m.contains("'reporting' is not a role"), m);
        assertTrue(m.contains("KAFKA_PARTITIONS=0"), m);
        assertTrue(m.contains("JWT_SECRET must be at least 32"), m);
        assertTrue(m.contains("RESEARCH_MIN_USERS=1"), m);
    }

    @Test
    void aSecretAndAPublicKeyTogetherAreRefused() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> AppConfig.fromEnv(
                        Map.of("JWT_SECRET", "x".repeat(32), "JWT_PUBLIC_KEY", "-----BEGIN PUBLIC KEY-----")));
        assertTrue(e.getMessage().contains("not several"), e.getMessage());
    }

    /** Every variable the process reads, found by reading a configuration through a recording map. */
    static Set<String> variablesRead() {
        Set<String> read = new TreeSet<>();
        Map<String, String> env =
                new HashMap<>(Map.of("ROLES", "api", "JWT_SECRET", "x".repeat(32), "ANALYTICS_URL", "http://a:8080")) {
                    @Override
                    public String get(Object key) {
                        read.add((String) key);
                        return super.get(key);
                    }
                };
        AppConfig.fromEnv(env);
        return read;
    }

    @Test
    void everyVariableIsInTheStartUpLog() {
        Set<String> read = variablesRead();
        assertTrue(
                read.containsAll(Set.of("HTTP_PORT", "JWT_JWKS_URL", "LOG_FORMAT", "SERVICE_NAME")), read.toString());
        String log = AppConfig.fromEnv(Map.of("JWT_SECRET", "s3cret-".repeat(6), "INTERNAL_TOKEN", "tok-123456"))
                .describe();
        for (String name : read) {
            assertTrue(log.contains(name.startsWith("JWT_") ? "JWT_*=" : name + "="), name + " not in: " + log);
        }
        assertFalse(log.contains("s3cret-"), log);
        assertFalse(log.contains("tok-123456"), log);
    }

    @Test
    void productionAuthSourcesAreReadAndCheckedTogether(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path pem = dir.resolve("idp.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n");
        AppConfig fromFile = AppConfig.fromEnv(Map.of(
                "JWT_PUBLIC_KEY_FILE",
                pem.toString(),
                "JWT_ISSUER",
                "https://idp",
                "JWT_AUDIENCE",
                "pain-journal",
                "INTERNAL_TOKEN",
                "t".repeat(32)));
        assertTrue(fromFile.auth().orElseThrow().publicKeyPem().orElseThrow().contains("MIIB"));
        assertEquals(Optional.of("https://idp"), fromFile.auth().orElseThrow().issuer());
        assertEquals("RS256", fromFile.auth().orElseThrow().algorithm());
        AppConfig jwks = AppConfig.fromEnv(
                Map.of("JWT_JWKS_URL", "https://idp.example/.well-known/jwks.json", "ROLES", "ingest"));
        ConfigException noServiceToken = assertThrows(
                ConfigException.class,
                () -> AppConfig.fromEnv(Map.of("JWT_JWKS_URL", "https://idp.example/.well-known/jwks.json")));
        assertTrue(noServiceToken.getMessage().contains("set INTERNAL_TOKEN"), noServiceToken.getMessage());
        assertEquals(
                "idp.example", jwks.auth().orElseThrow().jwksUrl().orElseThrow().getHost());

        ConfigException e = assertThrows(
                ConfigException.class,
                () -> AppConfig.fromEnv(Map.of(
                        "JWT_PUBLIC_KEY_FILE",
                        dir.resolve("missing.pem").toString(),
                        "LOG_FORMAT",
                        "xml",
                        "ANALYTICS_URL",
                        "analytics:8080",
                        "ROLES",
                        "api",
                        "JWT_SECRET",
                        "x".repeat(32))));
        assertTrue(
                e.getMessage().contains("JWT_PUBLIC_KEY_FILE=")
                        && e.getMessage().contains("cannot be read"),
                e.getMessage());
        assertTrue(e.getMessage().contains("LOG_FORMAT=xml must be one of text, json"), e.getMessage());
        assertTrue(e.getMessage().contains("'analytics:8080' is not an http(s) address"), e.getMessage());
        ConfigException two = assertThrows(
                ConfigException.class,
                () -> AppConfig.fromEnv(Map.of("JWT_JWKS_URL", "https://idp/jwks", "JWT_SECRET", "x".repeat(32))));
        assertTrue(two.getMessage().contains("not several"), two.getMessage());
        assertEquals(
                List.of("http://a:8080", "http://b:8080"),
                AppConfig.fromEnv(Map.of(
                                "ROLES",
                                "api",
                                "JWT_SECRET",
                                "x".repeat(32),
                                "ANALYTICS_URL",
                                "http://a:8080/, http://b:8080"))
                        .analyticsUrls());
        assertEquals(
                "ingest+analytics",
                AppConfig.fromEnv(Map.of("ROLES", "analytics,ingest")).serviceName());
    }
}
