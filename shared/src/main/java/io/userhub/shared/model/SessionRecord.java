package io.userhub.shared.model;

import java.time.Instant;
import java.util.List;

/** A stored session with its state and the notices it has been sent. */
public record SessionRecord(Session session, SessionState state, List<Notice> notices) {

    /** A notice as clients see it in GET /v1/session: {@code refreshUserCredentials} or {@code userSessionExpired}. */
    public record Notice(String type, String eventId, Instant at) {}

    public SessionRecord {
        notices = List.copyOf(notices);
    }
}
