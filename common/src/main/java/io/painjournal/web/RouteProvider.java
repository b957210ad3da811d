package io.painjournal.web;

import io.vertx.ext.web.Router;

/**
 * What a role contributes to the one HTTP port: its routes. Called once per HTTP verticle instance,
 * each with its own router; the handlers it installs share the role's thread-safe services.
 * Authentication has already run for {@code /v1/*}: handlers read the caller with {@link Callers#of}.
 */
@FunctionalInterface
public interface RouteProvider {

    void mount(Router router);
}
