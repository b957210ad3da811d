package io.painjournal.app;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** One application (every role, embedded broker, its own data) shared by the tests of a class. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RunningAppTest {

    protected Application app;
    protected TestHttp http;

    @BeforeAll
    void startApp(@TempDir Path dataDir) throws Exception {
        app = TestApps.start(TestApps.env(dataDir));
        http = new TestHttp(app.config().httpPort());
    }

    @AfterAll
    void stopApp() {
        if (app != null) {
            app.close();
        }
    }
}
