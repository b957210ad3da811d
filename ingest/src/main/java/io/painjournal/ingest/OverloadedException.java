package io.painjournal.ingest;

/**
 * Ingest cannot take the submission now: too many events under way ({@link IngestService#MAX_IN_FLIGHT}) or
 * analytics too far behind ({@link AnalyticsBacklog}); nothing of it was sent. The message, a sentence for the
 * client, says which. The client should retry shortly (503 with Retry-After).
 */
public final class OverloadedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OverloadedException(String message) {
        super(message);
    }
}
