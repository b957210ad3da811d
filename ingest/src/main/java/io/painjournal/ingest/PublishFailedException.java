package io.painjournal.ingest;

/** Kafka did not acknowledge a write in time; the client should retry later (503 with Retry-After). */
public final class PublishFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
