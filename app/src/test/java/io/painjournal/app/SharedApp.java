package io.painjournal.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The one application (every role, embedded broker, default settings) of this test JVM, started when a test
 * first asks for it and stopped when every test has run. The end-to-end tests that neither stop, restart nor
 * reconfigure the application share it; each uses users, cohorts and ids of its own, so none sees another's
 * data, and population-wide answers are never asserted exactly on it (a test that needs them has its own).
 */
final class SharedApp implements ParameterResolver {

    /** The running application and the data directory it alone uses; closing stops it and deletes the data. */
    private record Running(Application app, Path dataDir) implements AutoCloseable {
        static Running start() {
            try {
                Path dataDir = Files.createTempDirectory("pj-shared-app");
                return new Running(TestApps.start(TestApps.env(dataDir)), dataDir);
            } catch (Exception e) {
                throw new IllegalStateException("the shared application did not start", e);
            }
        }

        @Override
        public void close() throws IOException {
            app.close();
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (UncheckedIOException e) {
                // a file that vanished while walking: nothing left to delete there
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Application.class;
    }

    @Override
    public Application resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // The root context's store lives as long as the test plan and closes what it holds at its end.
        return context.getRoot()
                .getStore(ExtensionContext.Namespace.create(SharedApp.class))
                .getOrComputeIfAbsent(Running.class, k -> Running.start(), Running.class)
                .app();
    }
}
