package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        AppConfig c = AppConfig.fromEnv(Map.of(
                "HTTP_PORT", "9090", "DATA_DIR", "/var/lib/pj", "ROLES", "ingest, api",
                "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "KAFKA_PARTITIONS", "12", "KAFKA_REPLICATION_FACTOR", "3",
                "KAFKA_DELIVERY_TIMEOUT_MS", "8000", "JWT_SECRET", "x".repeat(32), "RESEARCH_MIN_USERS", "10",
                "ANALYTICS_URL", "http://analytics:8080/"));
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
    }

    @Test
    void anApiWithoutAnalyticsMustBeToldWhereAnalyticsIs() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> AppConfig.fromEnv(Map.of("ROLES", "api", "JWT_SECRET", "x".repeat(32))));
        assertTrue(e.getMessage().contains("set ANALYTICS_URL"), e.getMessage());
        ConfigException noSecret = assertThrows(ConfigException.class,
                () -> AppConfig.fromEnv(Map.of("ROLES", "api", "ANALYTICS_URL", "http://analytics:8080")));
        assertTrue(noSecret.getMessage().contains("JWT_SECRET or INTERNAL_TOKEN"), noSecret.getMessage());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ConfigException e = assertThrows(ConfigException.class, () -> AppConfig.fromEnv(Map.of(
                "HTTP_PORT", "http", "ROLES", "ingest,reporting", "KAFKA_PARTITIONS", "0",
                "JWT_SECRET", "short", "RESEARCH_MIN_USERS", "1")));
        String m = e.getMessage();
        assertTrue(m.contains("HTTP_PORT=http"), m);
        assertTrue(m.contains("'reporting' is not a role"), m);
        assertTrue(m.contains("KAFKA_PARTITIONS=0"), m);
        assertTrue(m.contains("JWT_SECRET must be at least 32"), m);
        assertTrue(m.contains("RESEARCH_MIN_USERS=1"), m);
    }

    @Test
    void aSecretAndAPublicKeyTogetherAreRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> AppConfig.fromEnv(Map.of(
                "JWT_SECRET", "x".repeat(32), "JWT_PUBLIC_KEY", "-----BEGIN PUBLIC KEY-----")));
        assertTrue(e.getMessage().contains("not several"), e.getMessage());
    }
}
