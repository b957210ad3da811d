package io.painjournal.app;

import io.painjournal.web.RateLimiter;
import java.time.Duration;

/**
 * What one client may take of the HTTP port (README, "Limits"). The body (1 MiB) and batch (1,000 events)
 * limits are the contract's and fixed; these are configuration.
 *
 * @param maxHeaderBytes {@code HTTP_MAX_HEADER_BYTES}: all request headers together; above it 431
 * @param maxConnections {@code HTTP_MAX_CONNECTIONS}: open connections of the process; above it a new one is closed
 * @param requestTimeout {@code HTTP_REQUEST_TIMEOUT_MS}: a request with a body must be received and answered in
 *                       this time; a slow body gets 408 and its connection is closed
 * @param idleTimeout    {@code HTTP_IDLE_TIMEOUT_S}: a connection with no traffic is closed
 * @param perToken       {@code RATE_LIMIT_TOKEN_PER_S} / {@code RATE_LIMIT_TOKEN_BURST}: requests of one caller
 *                       (a token's {@code sub}) to {@code /v1/*}; 429 above
 * @param perAddress     {@code RATE_LIMIT_ADDRESS_PER_S} / {@code RATE_LIMIT_ADDRESS_BURST}: requests of one
 *                       client address to {@code /v1/*}, checked before the token; 429 above
 */
public record HttpLimits(
        int maxHeaderBytes,
        int maxConnections,
        Duration requestTimeout,
        Duration idleTimeout,
        RateLimiter.Limit perToken,
        RateLimiter.Limit perAddress) {

    public static final HttpLimits DEFAULTS = new HttpLimits(
            8192,
            10_000,
            Duration.ofSeconds(30),
            Duration.ofSeconds(60),
            new RateLimiter.Limit(20, 100),
            new RateLimiter.Limit(200, 1000));
}
