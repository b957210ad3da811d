package io.painjournal.app;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** An end-to-end test on the {@link SharedApp}: its own users and ids, never another test's. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedApp.class)
abstract class SharedAppTest {

    protected Application app;
    protected TestHttp http;

    @BeforeAll
    void connect(Application shared) {
        app = shared;
        http = new TestHttp(shared.config().httpPort());
    }
}
