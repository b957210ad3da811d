package io.painjournal.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * A personal randomised trial (N-of-1, API.md section 5): two techniques alternated in {@code 2·pairs}
 * periods of {@code periodDays} UTC days from {@code startDate}. {@code order} is the technique of every
 * period, drawn by the server when the trial was first accepted (each pair holds both techniques, in a
 * random order) and kept here, so it never changes on replay, restart or another instance. Its
 * {@link #eventId()} is the client-made {@code trialId}: a re-post is a duplicate like any event.
 */
public record Trial(
        @JsonProperty(required = true) String trialId,
        @JsonProperty(required = true) String userId,
        @JsonProperty(required = true) List<String> techniques,
        @JsonProperty(required = true) LocalDate startDate,
        @JsonProperty(required = true) int periodDays,
        @JsonProperty(required = true) int pairs,
        @JsonProperty(required = true) int washoutDays,
        @JsonProperty(required = true) List<String> order,
        @JsonProperty(required = true) Instant acceptedAt)
        implements JournalEvent {

    public static final String TYPE = "trial";

    public Trial {
        Objects.requireNonNull(trialId, "trialId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(startDate, "startDate");
        Objects.requireNonNull(acceptedAt, "acceptedAt");
        techniques = List.copyOf(techniques);
        order = List.copyOf(order);
        if (techniques.size() != 2 || techniques.get(0).equals(techniques.get(1))) {
            throw new IllegalArgumentException("a trial compares two distinct techniques");
        }
        if (order.size() != 2 * pairs) {
            throw new IllegalArgumentException("a trial's order names the technique of each of its 2·pairs periods");
        }
        for (int j = 0; j < pairs; j++) {
            if (!List.of(order.get(2 * j), order.get(2 * j + 1)).containsAll(techniques)) {
                throw new IllegalArgumentException("each pair of a trial holds both techniques");
            }
        }
    }

    /** The technique of each period: for each pair, both techniques in an order drawn from {@code random}. */
    public static List<String> drawOrder(List<String> techniques, int pairs, java.util.random.RandomGenerator random) {
        List<String> order = new java.util.ArrayList<>();
        for (int j = 0; j < pairs; j++) {
            boolean firstFirst = random.nextBoolean();
            order.add(techniques.get(firstFirst ? 0 : 1));
            order.add(techniques.get(firstFirst ? 1 : 0));
        }
        return order;
    }

    @Override
    @JsonIgnore
    public String eventId() {
        return trialId;
    }

    @Override
    public String type() {
        return TYPE;
    }
}
