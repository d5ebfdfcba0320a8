package io.userhub.testkit;

import io.userhub.shared.model.Session;
import io.userhub.shared.model.SessionKey;
import io.userhub.shared.model.SessionRecord;
import io.userhub.shared.model.SessionState;
import io.userhub.shared.port.Sessions;
import io.userhub.shared.session.SessionTokens;
import io.userhub.shared.session.UpdateRateLimit;
import io.userhub.shared.store.SessionStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link Sessions} port in memory, for unit tests of the session checks: one session per
 * device's item, proven by its token's secret, counted against the update rate limit of
 * {@link UpdateRateLimit} under one lock, as SessionStore's conditional writes count it
 * (SessionsContract runs the same tests against both).
 */
public final class InMemorySessions implements Sessions {
    private static final class Stored {
        final SessionKey key;
        final Session session;
        SessionState state = SessionState.ACTIVE;
        UpdateRateLimit.Counter counter;

        Stored(SessionKey key, Session session) {
            this.key = key;
            this.session = session;
        }

        SessionRecord record() {
            return new SessionRecord(session, state, List.of());
        }
    }

    private final Map<String, Stored> byItemKey = new HashMap<>();

    /** Stores the session on its device's item, as a login does, and returns its token. */
    public synchronized String store(Session session) {
        SessionTokens.Issued issued = SessionTokens.issue(session.appId(), session.deviceId());
        byItemKey.put(SessionStore.itemKey(issued.key()), new Stored(issued.key(), session));
        return issued.token();
    }

    private Optional<Stored> proven(SessionKey key) {
        Stored stored = byItemKey.get(SessionStore.itemKey(key));
        return stored != null && stored.key.secretHash().equals(key.secretHash()) ? Optional.of(stored) : Optional.empty();
    }

    @Override
    public synchronized Optional<SessionRecord> find(SessionKey key) {
        return proven(key).map(Stored::record);
    }

    @Override
    public synchronized Touch touchForUpdate(SessionKey key, Instant now, int limitPerMinute, long revokedBefore) {
        long window = UpdateRateLimit.windowOf(now);
        Optional<Stored> found = proven(key);
        if (found.isEmpty()) {
            return new Touch.Refused(Optional.empty(), UpdateRateLimit.windowEndsAt(window), null);
        }
        Stored stored = found.get();
        Long countedWindow = stored.counter == null ? null : stored.counter.window();
        boolean usable = stored.state.live() && stored.session.expiresAt().isAfter(now)
                && stored.session.createdAt().getEpochSecond() >= revokedBefore;
        Optional<UpdateRateLimit.Counter> counted = usable ? UpdateRateLimit.counted(stored.counter, window, limitPerMinute) : Optional.empty();
        if (counted.isEmpty()) {
            return new Touch.Refused(Optional.of(stored.record()), UpdateRateLimit.windowEndsAt(window), countedWindow);
        }
        stored.counter = counted.get();
        return new Touch.Allowed(stored.record());
    }

    @Override
    public synchronized Optional<SessionRecord> markLoggedOut(SessionKey key, Instant now) {
        return proven(key).map(stored -> {
            SessionRecord before = stored.record();
            stored.state = SessionState.LOGGED_OUT;
            return before;
        });
    }

    @Override
    public synchronized List<KeyedSession> sessionsOfUser(List<String> sessionKeys, String userId) {
        List<KeyedSession> found = new ArrayList<>();
        sessionKeys.forEach(key -> Optional.ofNullable(byItemKey.get(key)).filter(s -> s.session.userId().equals(userId))
                .ifPresent(s -> found.add(new KeyedSession(key, s.record()))));
        return found;
    }

    @Override
    public synchronized boolean endSessionOfUser(String sessionKey, String userId, Instant now) {
        Stored stored = byItemKey.get(sessionKey);
        if (stored == null || !stored.session.userId().equals(userId)) {
            return false;
        }
        stored.state = SessionState.LOGGED_OUT;
        return true;
    }

    @Override
    public synchronized boolean deleteSessionOfUser(String sessionKey, String userId) {
        Stored stored = byItemKey.get(sessionKey);
        return stored != null && stored.session.userId().equals(userId) && byItemKey.remove(sessionKey) != null;
    }
}
