package io.painjournal.analytics.topology;

/**
 * A journal record analytics cannot read: not sealed, sealed with a data key it cannot find, or not a
 * journal event once opened. The message says which, and never quotes the record.
 */
final class UnreadableRecordException extends RuntimeException {

    UnreadableRecordException(String message) {
        super(message, null, false, false);
    }
}
