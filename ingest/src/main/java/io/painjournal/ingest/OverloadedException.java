package io.painjournal.ingest;

/**
 * Ingest has too many events under way to take more now ({@link IngestService#MAX_IN_FLIGHT}); nothing of
 * the submission was sent. The client should retry shortly (503 with Retry-After).
 */
public final class OverloadedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OverloadedException(String message) {
        super(message);
    }
}
