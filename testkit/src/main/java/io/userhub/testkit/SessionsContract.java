package io.userhub.testkit;

import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.model.Session;
import io.userhub.shared.model.SessionKey;
import io.userhub.shared.model.SessionState;
import io.userhub.shared.port.Sessions;
import io.userhub.shared.port.Sessions.Touch;
import io.userhub.shared.session.SessionTokens;
import io.userhub.shared.session.UpdateRateLimit;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link Sessions} adapter guarantees, run against SessionStore on DynamoDB Local
 * (SessionStoreIT) and {@link InMemorySessions} (InMemorySessionsTest): a session is found only
 * with its token's secret, updates are counted per minute up to the limit and never beyond, and a
 * session that is logged out, expired or revoked takes no update.
 */
public abstract class SessionsContract {
    /** The start of a minute, so that a test's updates fall in one window. */
    private static final Instant MINUTE = Instant.ofEpochSecond(UpdateRateLimit.windowOf(MutableClock.TEST_START) * 60);

    protected abstract Sessions sessions();

    /** Stores the session as a login stores it; its token. */
    protected abstract String stored(Session session);

    private final String app = "sessions-" + Hashing.randomId().substring(0, 8);

    private SessionKey newSession(String deviceId, Instant createdAt) {
        Session session = new Session(Hashing.randomId(), app, "domain-" + app, "user-" + deviceId, deviceId, createdAt,
                createdAt.plus(Duration.ofHours(24)), createdAt.plus(Duration.ofHours(23)), false, false);
        return SessionTokens.parse(stored(session)).orElseThrow();
    }

    @Test
    void updatesAreCountedPerMinuteUpToTheLimitAndTheNextMinuteStartsAgain() {
        SessionKey key = newSession("counted", MINUTE.minusSeconds(600));
        for (int update = 1; update <= 3; update++) {
            assertThat(sessions().touchForUpdate(key, MINUTE.plusSeconds(update), 3, 0)).as("update " + update).isInstanceOf(Touch.Allowed.class);
        }

        Touch fourth = sessions().touchForUpdate(key, MINUTE.plusSeconds(40), 3, 0);
        assertThat(fourth).isInstanceOfSatisfying(Touch.Refused.class, refused -> {
            assertThat(refused.current()).isPresent();
            assertThat(refused.windowEndsAt()).isEqualTo(MINUTE.getEpochSecond() + 60);
            assertThat(refused.countedWindow()).isEqualTo(UpdateRateLimit.windowOf(MINUTE));
        });
        assertThat(sessions().touchForUpdate(key, MINUTE.plusSeconds(61), 3, 0)).isInstanceOf(Touch.Allowed.class);
    }

    @Test
    void aSessionIsFoundOnlyWithItsTokensSecret() {
        SessionKey key = newSession("proven", MINUTE.minusSeconds(600));
        SessionKey otherSecret = new SessionKey(key.appId(), key.deviceDigest(), Hashing.sha256Hex("not the secret"));

        assertThat(sessions().find(key)).isPresent();
        assertThat(sessions().find(otherSecret)).isEmpty();
        assertThat(sessions().touchForUpdate(otherSecret, MINUTE, 10, 0))
                .isInstanceOfSatisfying(Touch.Refused.class, refused -> assertThat(refused.current()).isEmpty());
        assertThat(sessions().markLoggedOut(otherSecret, MINUTE)).isEmpty();
        assertThat(sessions().find(key).orElseThrow().state()).isEqualTo(SessionState.ACTIVE);
    }

    @Test
    void aLoggedOutSessionTakesNoUpdateAndALogoutSaysWhatItWasBefore() {
        SessionKey key = newSession("leaving", MINUTE.minusSeconds(600));

        assertThat(sessions().markLoggedOut(key, MINUTE).map(r -> r.state())).contains(SessionState.ACTIVE);
        assertThat(sessions().markLoggedOut(key, MINUTE.plusSeconds(1)).map(r -> r.state())).contains(SessionState.LOGGED_OUT);
        assertThat(sessions().touchForUpdate(key, MINUTE.plusSeconds(2), 10, 0)).isInstanceOfSatisfying(Touch.Refused.class,
                refused -> assertThat(refused.current().map(r -> r.state())).contains(SessionState.LOGGED_OUT));
    }

    @Test
    void anExpiredOrRevokedSessionTakesNoUpdate() {
        Instant created = MINUTE.minus(Duration.ofHours(25));
        SessionKey expired = newSession("expired", created);
        assertThat(sessions().touchForUpdate(expired, MINUTE, 10, 0)).isInstanceOfSatisfying(Touch.Refused.class,
                refused -> assertThat(refused.current()).isPresent());

        SessionKey revoked = newSession("revoked", MINUTE.minusSeconds(600));
        assertThat(sessions().touchForUpdate(revoked, MINUTE, 10, MINUTE.getEpochSecond() - 60)).isInstanceOf(Touch.Refused.class);
        assertThat(sessions().touchForUpdate(revoked, MINUTE, 10, MINUTE.getEpochSecond() - 6000)).isInstanceOf(Touch.Allowed.class);
    }
}
