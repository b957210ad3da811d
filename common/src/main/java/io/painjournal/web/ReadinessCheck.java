package io.painjournal.web;

import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * One condition of {@code /health/ready}: the process answers 200 only when every check succeeds.
 * A check fails its future with a message saying what is not ready.
 */
public interface ReadinessCheck {

    String name();

    Future<Void> check();

    /** A check named {@code name} that runs {@code check} each time readiness is asked. */
    static ReadinessCheck of(String name, Supplier<Future<Void>> check) {
        return new ReadinessCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Future<Void> check() {
                return check.get();
            }
        };
    }
}
