package io.painjournal.web;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;
import io.vertx.core.spi.context.storage.ContextLocal;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * The request id of API.md section 6: every response carries {@code X-Request-Id}, the caller's when it
 * is sane (1 to 64 characters of {@code [A-Za-z0-9._-]}), else a new one; every log line written while
 * serving the request carries it.
 * <p>The id lives in the request's Vert.x context (each HTTP request runs on a context of its own), so it
 * follows the request to worker threads ({@code executeBlocking}) and to the callbacks of client calls,
 * which forward it to the instance they ask. The log encoder reads it with {@link #current()}; a thread
 * outside Vert.x may set the MDC key {@value #MDC_KEY} instead.
 * <p>The context-local slot must exist before the first Vert.x instance: this class is also a
 * {@link VertxServiceProvider} (see {@code META-INF/services}), which every new Vert.x instance loads.
 */
public final class RequestIds implements VertxServiceProvider {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    private static final ContextLocal<String> LOCAL = ContextLocal.registerLocal(String.class);
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final java.util.HexFormat HEX = java.util.HexFormat.of();

    /** For the service loader; the registration is the class's loading. */
    public RequestIds() {}

    @Override
    public void init(VertxBootstrap bootstrap) {
        // nothing: the context-local slot was registered when this class was loaded
    }

    /** The first handler of every router: adopts or makes the id and puts it on the response. */
    public static Handler<RoutingContext> handler() {
        return ctx -> {
            String id = adopt(ctx.request().getHeader(HEADER));
            Context context = Vertx.currentContext();
            if (context != null) {
                context.putLocal(LOCAL, id);
            }
            ctx.response().putHeader(HEADER, id);
            ctx.next();
        };
    }

    /** The caller's id if sane, else a new one. */
    public static String adopt(String offered) {
        return offered != null && SANE.matcher(offered).matches() ? offered : newId();
    }

    /** 32 hex digits (128 random bits). */
    static String newId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return HEX.toHexDigits(r.nextLong()) + HEX.toHexDigits(r.nextLong()); // (String.format: 10x slower)
    }

    /** The id of the request this thread is serving now, or null. */
    public static String current() {
        Context context = Vertx.currentContext();
        String id = context == null ? null : context.getLocal(LOCAL);
        return id != null ? id : MDC.get(MDC_KEY);
    }
}
