package io.painjournal.app.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.painjournal.app.HttpLimits;
import io.painjournal.web.Callers;
import io.painjournal.web.Problem;
import io.painjournal.web.RateLimiter;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * The request limits of {@code /v1/*}, shared by every HTTP verticle of the process: one bucket per client
 * address, checked before the token is verified (so a flood of bad tokens costs little), and one per
 * caller, checked after (a user's apps and tabs share it, whatever address they come from). Above either:
 * {@code 429} with {@code Retry-After}.
 */
public final class RateLimits {

    /** {@code painjournal_http_rate_limit_keys{by=address|caller}}: the buckets kept (bounded). */
    static final String KEYS = "painjournal.http.rate.limit.keys";

    private final RateLimiter byAddress;
    private final RateLimiter byCaller;
    private final Duration requestTimeout;

    public RateLimits(HttpLimits limits, MeterRegistry registry) {
        this.byAddress = new RateLimiter(limits.perAddress());
        this.byCaller = new RateLimiter(limits.perToken());
        this.requestTimeout = limits.requestTimeout();
        for (var limiter :
                java.util.Map.of("address", byAddress, "caller", byCaller).entrySet()) {
            Gauge.builder(KEYS, limiter.getValue(), RateLimiter::keys)
                    .description("Keys (addresses, callers) the rate limiter keeps a bucket for")
                    .tag("by", limiter.getKey())
                    .register(registry);
        }
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    void byAddress(RoutingContext ctx) {
        var address = ctx.request().remoteAddress();
        admit(ctx, byAddress.acquire(address == null ? "?" : address.hostAddress()), "this address");
    }

    void byCaller(RoutingContext ctx) {
        admit(ctx, byCaller.acquire(Callers.of(ctx).subject()), "this token");
    }

    private static void admit(RoutingContext ctx, long retryAfterSeconds, String who) {
        if (retryAfterSeconds == 0) {
            ctx.next();
            return;
        }
        ctx.response().putHeader("Retry-After", Long.toString(retryAfterSeconds));
        Problem.of(
                        429,
                        "Too Many Requests",
                        "Too many requests from " + who + "; retry after " + retryAfterSeconds + " s.")
                .send(ctx);
    }
}
