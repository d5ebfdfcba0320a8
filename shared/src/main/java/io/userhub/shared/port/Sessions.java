package io.userhub.shared.port;

import io.userhub.shared.model.SessionKey;
import io.userhub.shared.model.SessionRecord;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Stored sessions, as the session checks and the user administration need them: one device holds
 * one session, found by its token's {@link SessionKey} (and proven by its secret's hash), or by the
 * storage key a user's device pointer names. The DynamoDB adapter is {@code store.SessionStore}.
 */
public interface Sessions {
    /** The token's session, whatever its state, if the token's secret proves it. */
    Optional<SessionRecord> find(SessionKey key);

    /**
     * Authenticates an update request and counts it against the session's per-minute limit in one
     * conditional write: refused (nothing written) for a session that is not usable, revoked
     * (created before {@code revokedBefore}, epoch s) or at its limit.
     */
    Touch touchForUpdate(SessionKey key, Instant now, int limitPerMinute, long revokedBefore);

    /** Logs the session out; the session as it was before, or empty when the token proves none. */
    Optional<SessionRecord> markLoggedOut(SessionKey key, Instant now);

    /** The user's sessions among these storage keys (a device may have passed to someone else since). */
    List<KeyedSession> sessionsOfUser(List<String> sessionKeys, String userId);

    /** Ends the session under this key if it is still the user's; false when it is not (or is gone). */
    boolean endSessionOfUser(String sessionKey, String userId, Instant now);

    /** Deletes the session under this key if it is still the user's. */
    boolean deleteSessionOfUser(String sessionKey, String userId);

    /** A session and the storage key that holds it. */
    record KeyedSession(String key, SessionRecord record) {}

    /** What an update-making request gets: the session, counted against its rate limit, or why not. */
    sealed interface Touch {
        record Allowed(SessionRecord record) implements Touch {}

        /**
         * The conditions failed; {@code current} is the session as it was, if any, and
         * {@code countedWindow} the minute its rate counter counts (null when none).
         */
        record Refused(Optional<SessionRecord> current, long windowEndsAt, Long countedWindow) implements Touch {}
    }
}
