package io.painjournal.query;

/** The analytics state cannot answer right now (starting, restoring or rebalancing); retry shortly. */
public final class NotReadyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NotReadyException(String message, Throwable cause) {
        super(message, cause);
    }
}
