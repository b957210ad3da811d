package io.painjournal.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Everything that travels on the journal topic: one JSON object whose {@code type} field names the
 * record type (see {@link EventCodec}); each type's fields are its record's components. All of one user's events share the record key
 * {@link #userId()}, so they stay in order on one partition.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Session.class, name = Session.TYPE),
    @JsonSubTypes.Type(value = PainScore.class, name = PainScore.TYPE),
    @JsonSubTypes.Type(value = UserForgotten.class, name = UserForgotten.TYPE),
    @JsonSubTypes.Type(value = Trial.class, name = Trial.TYPE),
    @JsonSubTypes.Type(value = TrialCancelled.class, name = TrialCancelled.TYPE)
})
public sealed interface JournalEvent permits Session, PainScore, UserForgotten, Trial, TrialCancelled {

    /** Client-made UUID (lower case, canonical form); for {@link UserForgotten} a server-made one. */
    String eventId();

    String userId();

    /** The wire name of the event type, as in the batch endpoint's {@code type} field. */
    String type();
}
