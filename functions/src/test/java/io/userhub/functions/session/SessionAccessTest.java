package io.userhub.functions.session;

import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.Session;
import io.userhub.functions.support.InMemoryRules;
import io.userhub.shared.session.SessionAccess;
import io.userhub.shared.store.AppDirectory;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;
import io.userhub.testkit.InMemorySessions;
import io.userhub.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session checks of the client routes, on in-memory sessions (which keep SessionStore's
 * contract, SessionsContract): the per-session update rate limit and what it answers, and each
 * reason a token is refused. The routes' ITs cover the same over HTTP and DynamoDB Local.
 */
class SessionAccessTest {
    private final MutableClock clock = MutableClock.atTestStart();
    private final Map<String, AppConfig> apps = new HashMap<>();
    private final InMemorySessions sessions = new InMemorySessions();
    private final SessionAccess access = new SessionAccess(
            new AppDirectory(id -> Optional.ofNullable(apps.get(id)), clock, Duration.ZERO), sessions, clock);

    private AppConfig app(String appId, AppSettings settings, boolean identityEnabled, long sessionsRevokedBefore) {
        AppConfig app = new AppConfig(appId, appId + "-domain", identityEnabled, List.of(), List.of(), settings, null, sessionsRevokedBefore);
        apps.put(appId, app);
        return app;
    }

    private String sessionOf(AppConfig app, Instant createdAt) {
        return sessions.store(new Session(Hashing.randomId(), app.appId(), app.domainId(), "user-1", "device-" + Hashing.randomId(),
                createdAt, createdAt.plus(Duration.ofHours(24)), createdAt.plus(Duration.ofHours(23)), false, false));
    }

    @Test
    void aSessionMakesItsAppsUpdatesPerMinuteAndIsToldWhenToTryAgain() {
        AppConfig app = app("limited", AppSettings.defaults().withUpdatesPerMinute(2), true, 0);
        String token = sessionOf(app, clock.instant().minusSeconds(60));
        // the start of a minute, so that the three updates fall in one window
        clock.set(Instant.ofEpochSecond((clock.instant().getEpochSecond() / 60 + 1) * 60));

        access.forUpdate(token);
        clock.advance(Duration.ofSeconds(10));
        access.forUpdate(token);
        clock.advance(Duration.ofSeconds(15));
        Problem limited = InMemoryRules.refusal(() -> access.forUpdate(token));

        assertThat(limited.reason()).isEqualTo(Reason.RATE_LIMITED);
        assertThat(limited.details()).containsEntry("retryAfterSeconds", 35L).containsEntry("limitPerMinute", 2);
        // reads are not counted
        assertThat(access.forRead(token).app().appId()).isEqualTo("limited");
        clock.advance(Duration.ofSeconds(35));
        assertThat(access.forUpdate(token).record().session().userId()).isEqualTo("user-1");
    }

    @Test
    void eachRefusedTokenIsToldWhy() {
        AppConfig app = app("checked", AppSettings.defaults(), true, 0);
        Instant now = clock.instant();

        assertThat(InMemoryRules.refusal(() -> access.forRead(null)).details()).containsEntry("problem", "MISSING_TOKEN");
        assertThat(InMemoryRules.refusal(() -> access.forRead("not-a-token")).details()).containsEntry("problem", "MALFORMED_TOKEN");
        String forged = sessionOf(app, now).replaceFirst("\\.[A-Za-z0-9_-]{43}$", "." + "A".repeat(43));
        assertThat(InMemoryRules.refusal(() -> access.forRead(forged)).details()).containsEntry("problem", "UNKNOWN_SESSION");
        AppConfig gone = app("gone", AppSettings.defaults(), true, 0);
        String ofAGoneApp = sessionOf(gone, now);
        apps.remove("gone");
        assertThat(InMemoryRules.refusal(() -> access.forRead(ofAGoneApp)).details()).containsEntry("problem", "UNKNOWN_SESSION");

        String leaving = sessionOf(app, now);
        assertThat(access.logout(leaving).ended()).isTrue();
        assertThat(access.logout(leaving).ended()).as("a second logout ends nothing").isFalse();
        Problem loggedOut = InMemoryRules.refusal(() -> access.forUpdate(leaving));
        assertThat(loggedOut.reason()).isEqualTo(Reason.SESSION_INVALID);
        assertThat(loggedOut.details()).containsEntry("problem", "LOGGED_OUT");

        String old = sessionOf(app, now.minus(Duration.ofHours(25)));
        assertThat(InMemoryRules.refusal(() -> access.forRead(old)).reason()).isEqualTo(Reason.SESSION_EXPIRED);

        AppConfig revoking = app("revoking", AppSettings.defaults(), true, now.getEpochSecond());
        String beforeTheIncident = sessionOf(revoking, now.minusSeconds(5));
        assertThat(InMemoryRules.refusal(() -> access.forUpdate(beforeTheIncident)).details()).containsEntry("problem", "REVOKED");
        assertThat(access.forUpdate(sessionOf(revoking, now)).app().appId()).isEqualTo("revoking");
    }

    @Test
    void anAppWithIdentitiesOffTakesNoUpdateButItsSessionsStillReadAndLeave() {
        AppConfig off = app("off", AppSettings.defaults(), false, 0);
        String token = sessionOf(off, clock.instant());

        assertThat(InMemoryRules.refusal(() -> access.forUpdate(token)).reason()).isEqualTo(Reason.IDENTITY_FEATURE_NOT_ENABLED);
        assertThat(access.forRead(token).app().appId()).isEqualTo("off");
        assertThat(access.logout(token).ended()).isTrue();
    }
}
