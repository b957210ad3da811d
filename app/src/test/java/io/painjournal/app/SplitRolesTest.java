package io.painjournal.app;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docker-compose layout (ingest, two analytics instances, api: one artifact, split by ROLES) on the
 * embedded broker, so this machine always runs the scenario {@link SplitRolesKafkaIT} runs on a real
 * Kafka container.
 */
class SplitRolesTest {

    @Test
    void theJournalScenarioRunsThroughSeparateServices(
            @TempDir Path ingest, @TempDir Path analytics1, @TempDir Path analytics2, @TempDir Path api)
            throws Exception {
        SplitScenario.run(Optional.empty(), ingest, analytics1, analytics2, api);
    }
}
