package io.userhub.functions.logout;

import io.userhub.shared.event.DomainEvent.SessionsEnded;
import io.userhub.shared.event.EventBatch;
import io.userhub.shared.event.EventSubscriber;
import io.userhub.shared.session.SessionAccess;

/**
 * Ends the session of a bearer token. Idempotent: a session already logged out or expired logs
 * out again, and only a live session's end is an event ({@link SessionsEnded}, cause logout).
 */
public final class LogoutUseCase {
    private final SessionAccess access;
    private final EventSubscriber events;

    public LogoutUseCase(SessionAccess access, EventSubscriber events) {
        this.access = access;
        this.events = events;
    }

    /** @param token the bearer token of the request, null when it carried none */
    public void logout(String token) {
        SessionAccess.LoggedOut out = access.logout(token);
        if (out.ended()) {
            events.on(EventBatch.of(new SessionsEnded(out.app().appId(), out.app().domainId(), out.at(), out.userId(), 1,
                    SessionsEnded.Cause.LOGOUT)));
        }
    }
}
