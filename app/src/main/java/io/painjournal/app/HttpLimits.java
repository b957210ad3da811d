package io.painjournal.app;

import io.painjournal.web.RateLimiter;
import java.time.Duration;

/**
 * What one client may take of the HTTP port: the settings {@code HTTP_MAX_*}, {@code HTTP_*_TIMEOUT_*} and
 * {@code RATE_LIMIT_*} ({@link Setting} says what each means). The body (1 MiB) and batch (1,000 events)
 * limits are the contract's and fixed.
 *
 * @param perToken   requests to {@code /v1/*} of one caller (a token's {@code sub})
 * @param perAddress requests to {@code /v1/*} of one client address, checked before the token
 */
public record HttpLimits(
        int maxHeaderBytes,
        int maxConnections,
        Duration requestTimeout,
        Duration idleTimeout,
        RateLimiter.Limit perToken,
        RateLimiter.Limit perAddress) {}
