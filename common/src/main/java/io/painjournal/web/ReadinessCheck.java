package io.painjournal.web;

import io.vertx.core.Future;

/**
 * One condition of {@code /health/ready}: the process answers 200 only when every check succeeds.
 * A check fails its future with a message saying what is not ready.
 */
public interface ReadinessCheck {

    String name();

    Future<Void> check();
}
