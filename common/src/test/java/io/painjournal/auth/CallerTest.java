package io.painjournal.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class CallerTest {

    @Test
    void usersActForThemselvesAdminsForAnyone() {
        assertTrue(new Caller("u-1", Set.of(Role.USER)).mayActFor("u-1"));
        assertFalse(new Caller("u-1", Set.of(Role.USER)).mayActFor("u-2"));
        assertTrue(new Caller("ops", Set.of(Role.ADMIN)).mayActFor("u-2"));
        assertFalse(new Caller("r-1", Set.of(Role.RESEARCHER)).mayActFor("r-1"), "a researcher is not a user");
        assertFalse(new Caller("u-1", Set.of()).mayActFor("u-1"), "no roles, no rights");
    }

    @Test
    void researchIsForResearchersAndAdmins() {
        assertTrue(new Caller("r-1", Set.of(Role.RESEARCHER)).mayResearch());
        assertTrue(new Caller("ops", Set.of(Role.ADMIN)).mayResearch());
        assertFalse(new Caller("u-1", Set.of(Role.USER)).mayResearch());
    }
}
