package io.painjournal.events;

/**
 * Everything that travels on the journal topic. All of one user's events share the record key
 * {@link #userId()}, so they stay in order on one partition.
 */
public sealed interface JournalEvent permits Session, PainScore, UserForgotten {

    /** Client-made UUID (lower case, canonical form); for {@link UserForgotten} a server-made one. */
    String eventId();

    String userId();

    /** The wire name of the event type, as in the batch endpoint's {@code type} field. */
    String type();
}
