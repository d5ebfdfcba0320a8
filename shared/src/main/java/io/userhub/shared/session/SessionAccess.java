package io.userhub.shared.session;

import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.SessionKey;
import io.userhub.shared.model.SessionRecord;
import io.userhub.shared.model.SessionState;
import io.userhub.shared.port.Apps;
import io.userhub.shared.port.Sessions;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;
import io.userhub.shared.validation.Rejection;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Session authentication for the client routes: {@code Authorization: Bearer <session token>}.
 * Unknown, malformed, logged-out tokens are {@code SESSION_INVALID}; expired ones
 * {@code SESSION_EXPIRED}; update routes also count against the app's per-session rate limit.
 */
public final class SessionAccess {

    public record Authenticated(AppConfig app, SessionKey sessionKey, SessionRecord record) {}

    private final Apps apps;
    private final Sessions sessions;
    private final Clock clock;

    public SessionAccess(Apps apps, Sessions sessions, Clock clock) {
        this.apps = apps;
        this.sessions = sessions;
        this.clock = clock;
    }

    /**
     * For reads: one GetItem.
     *
     * @param token the bearer token of the request, null when it carried none
     */
    public Authenticated forRead(String token) {
        Located located = locate(token);
        SessionRecord record = sessions.find(located.key()).orElseThrow(() -> invalid("UNKNOWN_SESSION"));
        requireUsable(located.app(), record, clock.instant());
        return new Authenticated(located.app(), located.key(), record);
    }

    /**
     * For identity and attribute updates: one conditional UpdateItem that also applies the rate
     * limit. An app whose identity feature is off takes neither (Web Chat answers
     * IDENTITIES_FEATURE_DISABLED for addUserIdentities and for profile updates alike), refused
     * before that write: the feature's state is no secret, its login route says it to anyone.
     */
    public Authenticated forUpdate(String token) {
        Located located = locate(token);
        io.userhub.shared.validation.IdentityFeature.requireEnabled(located.app());
        Instant now = clock.instant();
        Sessions.Touch touch = sessions.touchForUpdate(located.key(), now, located.app().settings().updatesPerMinute(),
                located.app().sessionsRevokedBefore());
        if (touch instanceof Sessions.Touch.Allowed allowed) {
            return new Authenticated(located.app(), located.key(), allowed.record());
        }
        Sessions.Touch.Refused refused = (Sessions.Touch.Refused) touch;
        SessionRecord current = refused.current().orElseThrow(() -> invalid("UNKNOWN_SESSION"));
        requireUsable(located.app(), current, now);
        long retryAfter = Math.max(1, refused.windowEndsAt() - now.getEpochSecond());
        throw Problem.withDetails(Reason.RATE_LIMITED, Map.of(
                "retryAfterSeconds", retryAfter,
                "limitPerMinute", located.app().settings().updatesPerMinute())).reject();
    }

    /**
     * Ends the token's session at once. Idempotent: a session already logged out or expired
     * logs out again; a token userhub never issued is SESSION_INVALID.
     */
    public LoggedOut logout(String token) {
        Located located = locate(token);
        Instant now = clock.instant();
        SessionRecord before = sessions.markLoggedOut(located.key(), now).orElseThrow(() -> invalid("UNKNOWN_SESSION"));
        boolean wasLive = before.state().live() && (before.session().expiresAt() == null || before.session().expiresAt().isAfter(now));
        return new LoggedOut(located.app(), before.session().userId(), wasLive, now);
    }

    /** A logout's outcome: whose session it was, and whether it was live until now (a repeated or late logout ends nothing). */
    public record LoggedOut(AppConfig app, String userId, boolean ended, Instant at) {}

    /** The key of the token's session, whatever its state. */
    public Located locate(String token) {
        if (token == null) {
            throw invalid("MISSING_TOKEN");
        }
        SessionKey key = SessionTokens.parse(token).orElseThrow(() -> invalid("MALFORMED_TOKEN"));
        AppConfig app;
        try {
            app = apps.require(key.appId());
        } catch (Rejection appNotFound) {
            throw invalid("UNKNOWN_SESSION");
        }
        return new Located(app, key);
    }

    public record Located(AppConfig app, SessionKey key) {}

    static void requireUsable(AppConfig app, SessionRecord record, Instant now) {
        if (record.state() == SessionState.LOGGED_OUT) {
            throw invalid("LOGGED_OUT");
        }
        if (app.revokes(record.session().createdAt())) {
            // An incident's revocation (a leaked key or API key) ended every session issued before it.
            throw invalid("REVOKED");
        }
        if (record.state() == SessionState.EXPIRED || !record.session().expiresAt().isAfter(now)) {
            throw Problem.withDetails(Reason.SESSION_EXPIRED,
                    Map.of("expiredAt", record.session().expiresAt().toString())).reject();
        }
    }

    private static Rejection invalid(String problem) {
        return Problem.withDetails(Reason.SESSION_INVALID, Map.of("problem", problem)).reject();
    }

    public Optional<SessionRecord> find(SessionKey key) {
        return sessions.find(key);
    }
}
