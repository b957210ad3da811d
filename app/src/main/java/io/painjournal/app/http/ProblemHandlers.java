package io.painjournal.app.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.painjournal.web.LogSafe;
import io.painjournal.web.Problem;
import io.painjournal.web.RequestIds;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every error of the HTTP port answered as problem+json: the router's error handlers and the codec's. */
final class ProblemHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemHandlers.class);

    private ProblemHandlers() {}

    /**
     * A request the HTTP codec could not read (headers over {@code HTTP_MAX_HEADER_BYTES}, a request line too
     * long, garbage): the status Vert.x would send, as problem+json, and the connection closed.
     */
    static void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        int status = cause instanceof TooLongHttpLineException
                ? 414
                : cause instanceof TooLongHttpHeaderException ? 431 : 400;
        String detail = switch (status) {
            case 414 -> "The request line is too long.";
            case 431 -> "The request headers are larger than this server takes (HTTP_MAX_HEADER_BYTES).";
            default -> "The request is not valid HTTP.";
        };
        // a new id: the request's own headers may be what could not be read
        answerAndClose(
                request,
                RequestIds.adopt(null),
                Problem.of(status, status == 400 ? "Bad Request" : "Request Too Large", detail));
    }

    /** Answers a request that reaches no route with {@code problem} and its request id, then closes the connection. */
    static void answerAndClose(HttpServerRequest request, String requestId, Problem problem) {
        request.response()
                .setStatusCode(problem.status())
                .putHeader(RequestIds.HEADER, requestId)
                .putHeader("Content-Type", Problem.CONTENT_TYPE)
                .putHeader("Connection", "close")
                .end(problem.toJson().toBuffer())
                .onComplete(done -> request.connection().close());
    }

    /** The router's error handlers: one per status it fails with, and one for any other. */
    static void install(Router router) {
        router.errorHandler(400, ctx -> problem(ctx, 400, "Bad Request", "The request is not valid."));
        router.errorHandler(401, ctx -> {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            problem(
                    ctx,
                    401,
                    "Unauthorized",
                    "A valid bearer token is required (missing, malformed, forged or expired token).");
        });
        router.errorHandler(403, ctx -> problem(ctx, 403, "Forbidden", "This token may not do that."));
        router.errorHandler(
                404,
                ctx -> problem(
                        ctx,
                        404,
                        "Not Found",
                        "No such resource: " + ctx.request().path()));
        router.errorHandler(
                405,
                ctx -> problem(
                        ctx,
                        405,
                        "Method Not Allowed",
                        ctx.request().method() + " is not supported on "
                                + ctx.request().path()));
        router.errorHandler(408, ctx -> {
            // The rest of the body may never come: answer, then close rather than wait for it.
            ctx.response().putHeader("Connection", "close");
            ctx.response().endHandler(done -> ctx.request().connection().close());
            problem(ctx, 408, "Request Timeout", "The request was not received and answered in time.");
        });
        router.errorHandler(
                413, ctx -> problem(ctx, 413, "Content Too Large", "The body is larger than 1 MiB; split the batch."));
        router.errorHandler(
                415,
                ctx -> problem(ctx, 415, "Unsupported Media Type", "Send the body as Content-Type: application/json."));
        router.uncaughtErrorHandler(ProblemHandlers::anyOther);
        router.errorHandler(500, ctx -> {
            Throwable failure = ctx.failure();
            if (failure instanceof HttpException http && http.getStatusCode() != 500) {
                problem(ctx, http.getStatusCode(), "Error", http.getPayload());
                return;
            }
            LOG.error(
                    "unexpected failure on {} {}",
                    ctx.request().method(),
                    LogSafe.path(ctx.request().path()),
                    failure);
            internalError(ctx);
        });
    }

    /**
     * Any other status: a 4xx of a handler without its own error handler keeps its status; below 400 is
     * Vert.x Web's BodyHandler failing with 200 when the body cannot be read (e.g. a chunk size that is
     * not hexadecimal), which is the client's fault: 400, and the broken connection closed.
     */
    private static void anyOther(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (status >= 400 && status < 500) {
            problem(
                    ctx,
                    status,
                    HttpResponseStatus.valueOf(status).reasonPhrase(),
                    ctx.failure() == null ? null : ctx.failure().getMessage());
        } else if (status < 400) {
            ctx.response().putHeader("Connection", "close");
            problem(
                    ctx,
                    400,
                    "Bad Request",
                    "The request body could not be read"
                            + (ctx.failure() == null
                                    ? "."
                                    : ": " + ctx.failure().getMessage()));
        } else {
            LOG.error(
                    "unexpected failure {} on {} {}",
                    status,
                    ctx.request().method(),
                    LogSafe.path(ctx.request().path()),
                    ctx.failure());
            internalError(ctx);
        }
    }

    private static void internalError(RoutingContext ctx) {
        problem(ctx, 500, "Internal Server Error", "Something went wrong on our side; it has been logged.");
    }

    /** The problem, unless the response has begun: then there is nothing to answer with, and it is reset. */
    private static void problem(RoutingContext ctx, int status, String title, String detail) {
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        Problem.of(status, title, detail).send(ctx);
    }
}
