package io.painjournal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LogSafeTest {

    @Test
    void userIdsInPathsAreReplaced() {
        assertEquals("/v1/users/{userId}/techniques", LogSafe.path("/v1/users/u-1029/techniques"));
        assertEquals("/v1/users/{userId}", LogSafe.path("/v1/users/ann.smith"));
        assertEquals("/internal/v1/users/{userId}/journal", LogSafe.path("/internal/v1/users/x%20y/journal"));
        assertEquals("/v1/techniques/melt/trend", LogSafe.path("/v1/techniques/melt/trend"));
        assertEquals("", LogSafe.path(null));
    }
}
