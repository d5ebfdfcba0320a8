package io.userhub.shared.model;

import java.time.Instant;
import java.util.List;

/** A stored session with its state and the notices it has been sent. */
public record SessionRecord(Session session, String state, List<Notice> notices) {
    public static final String ACTIVE = "ACTIVE";
    public static final String REFRESH_DUE = "REFRESH_DUE";
    public static final String EXPIRED = "EXPIRED";
    public static final String LOGGED_OUT = "LOGGED_OUT";

    /** A notice as clients see it in GET /v1/session: {@code refreshUserCredentials} or {@code userSessionExpired}. */
    public record Notice(String type, String eventId, Instant at) {}

    public SessionRecord {
        notices = List.copyOf(notices);
    }
}
