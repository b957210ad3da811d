package io.painjournal.app.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.event.Level;

class JsonLoggerTest {

    @Test
    void levelsFollowTheLongestDottedPrefixAndTheDefault() {
        Properties file = new Properties();
        file.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        file.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
        file.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka.streams.KafkaStreams", "info");
        LogLevels levels = LogLevels.from(file, null);
        assertEquals(Level.WARN, levels.levelOf("org.apache.kafka.clients.NetworkClient"));
        assertEquals(Level.INFO, levels.levelOf("org.apache.kafka.streams.KafkaStreams"));
        assertEquals(Level.INFO, levels.levelOf("org.apache.kafkaesque.Thing"), "prefixes end at a dot");
        assertEquals(Level.INFO, levels.levelOf("io.painjournal.app.Application"));
        assertEquals(Level.DEBUG, LogLevels.from(file, "debug").levelOf("io.painjournal.app.Application"),
                "LOG_LEVEL sets the default");
    }

    @Test
    void eachEventIsOneLineOfValidJsonEvenWithQuotesNewlinesAndStackTraces() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Logger log = new JsonLoggerFactory(LogLevels.from(new Properties(), "info"), out).getLogger("a.B");
        log.debug("not shown");
        log.info("user said \"{}\"\tand\n{}", "hi\\there", '\u0001');
        log.warn("failed", new IllegalStateException("boom"));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length, bytes.toString(StandardCharsets.UTF_8));
        ObjectMapper json = new ObjectMapper();
        JsonNode info = json.readTree(lines[0]);
        assertEquals("INFO", info.get("level").asText());
        assertEquals("a.B", info.get("logger").asText());
        assertEquals("user said \"hi\\there\"\tand\n\u0001", info.get("message").asText());
        assertFalse(info.has("error"));
        JsonNode warn = json.readTree(lines[1]);
        assertEquals("WARN", warn.get("level").asText());
        assertTrue(warn.get("error").asText().startsWith("java.lang.IllegalStateException: boom"));
    }
}
