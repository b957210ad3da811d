package io.painjournal.catalogue;

/**
 * One massage technique of the catalogue (API.md section 1). Ids are stable; names are for display.
 *
 * @param id              stable id used in events and URLs, e.g. {@code tennis-ball}
 * @param name            display name
 * @param category        {@code professional} or {@code self-care}
 * @param defaultProvider the provider assumed when a session does not name one
 */
public record Technique(String id, String name, String category, Provider defaultProvider) {}
