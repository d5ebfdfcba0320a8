package io.userhub.functions.session;

import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.functions.support.Harness;
import io.userhub.functions.support.Harness.Response;
import io.userhub.shared.crypto.Hashing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Session authentication, logout and session state. */
@ExtendWith(DynamoDbLocalExtension.class)
public class SessionRoutesIT {

    private static void assertSessionInvalid(Response response) {
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.reason()).isEqualTo("SESSION_INVALID");
    }

    @Test
    void everySessionRouteRefusesMissingMalformedAndUnknownTokens() {
        Harness h = new Harness();
        String unknown = h.app.appId() + "." + Hashing.randomToken();
        for (String token : new String[]{null, "garbage", "a.b", unknown}) {
            assertSessionInvalid(h.session(token));
            assertSessionInvalid(h.attributes(token, "{\"updates\":[]}"));
            assertSessionInvalid(h.addIdentities(token, h.identitiesToken("email", "x@example.com")));
            assertSessionInvalid(h.logout(token));
        }
        assertThat(h.storedItems()).isEmpty();
    }

    @Test
    void aSessionOfOneAppCannotBeUsedAsAnotherAppsSession() {
        Harness a = new Harness();
        Harness b = new Harness();
        String token = a.sessionFor("d", "uid", "u-a");
        String forged = b.app.appId() + token.substring(token.indexOf('.'));
        assertSessionInvalid(b.session(forged));
        assertSessionInvalid(b.attributes(forged, "{\"updates\":[{\"type\":\"global\",\"attributes\":{\"first_name\":\"X\"}}]}"));
        assertThat(b.storedItems()).isEmpty();
    }

    @Test
    void sessionStateShowsExpiryRefreshTimeUserAndNotices() {
        Harness h = new Harness();
        String token = h.sessionFor("phone", "uid", "u-1", "email", "u1@example.com");
        Response state = h.session(token);

        assertThat(state.status()).isEqualTo(200);
        assertThat(state.text("/state")).isEqualTo("active");
        assertThat(Instant.parse(state.text("/session/expires_at"))).isEqualTo(Harness.START.plus(Duration.ofHours(24)));
        assertThat(Instant.parse(state.text("/session/refresh_at"))).isEqualTo(Harness.START.plus(Duration.ofMinutes(23 * 60 + 30)));
        assertThat(state.body().at("/user/identities").findValuesAsText("identifier")).containsExactlyInAnyOrder("uid", "email");
        assertThat(state.body().get("notices")).isEmpty();

        h.clock.advance(Duration.ofMinutes(23 * 60 + 31));
        assertThat(h.session(token).text("/state")).isEqualTo("refresh_due");
    }

    @Test
    void anExpiredSessionIsRefusedWithSessionExpired() {
        Harness h = new Harness();
        String token = h.sessionFor("phone", "uid", "u-1");
        h.clock.advance(Duration.ofHours(24));
        for (Response response : new Response[]{h.session(token),
                h.attributes(token, "{\"updates\":[{\"type\":\"global\",\"attributes\":{\"first_name\":\"X\"}}]}")}) {
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.reason()).isEqualTo("SESSION_EXPIRED");
        }
    }

    @Test
    void logoutEndsTheSessionAtOnceAndIsIdempotent() {
        Harness h = new Harness();
        String token = h.sessionFor("phone", "uid", "u-1");
        Response logout = h.logout(token);
        assertThat(logout.status()).isEqualTo(200);
        assertThat(logout.body().get("logged_out").asBoolean()).isTrue();

        assertSessionInvalid(h.session(token));
        assertSessionInvalid(h.attributes(token, "{\"updates\":[]}"));
        assertThat(h.logout(token).status()).isEqualTo(200);
    }

    @Test
    void aLogoutIsOneSessionsEndedEventForItsUserAndARepeatedOneIsNone() {
        Harness h = new Harness();
        String token = h.sessionFor("phone", "uid", "u-1");
        String userId = h.session(token).text("/user/id");
        assertThat(h.logout(token).status()).isEqualTo(200);
        assertThat(h.logout(token).status()).isEqualTo(200);

        assertThat(h.events).filteredOn(io.userhub.shared.event.DomainEvent.SessionsEnded.class::isInstance)
                .containsExactly(new io.userhub.shared.event.DomainEvent.SessionsEnded(h.app.appId(), h.app.domainId(), h.clock.instant(),
                        userId, 1, io.userhub.shared.event.DomainEvent.SessionsEnded.Cause.LOGOUT));
        // An event for subscribers, no audit record: the device's item says it was logged out.
        assertThat(h.userAudit(userId, "kind", "sessions_ended").body().at("/records")).isEmpty();
    }

    @Test
    void afterLogoutTheDeviceLogsInAsANewAnonymousUser() {
        Harness h = new Harness();
        String anonymous = h.login("phone", "").text("/user/id");
        String token = h.sessionFor("phone", "uid", "u-1");
        h.logout(token);
        Response next = h.login("phone", "");
        assertThat(next.text("/user/anonymous")).isEqualTo("true");
        assertThat(next.text("/user/id")).isNotEqualTo(anonymous);
    }

    @Test
    void aReplacedSessionIsInvalid() {
        Harness h = new Harness();
        String first = h.sessionFor("phone", "uid", "u-1");
        h.sessionFor("phone", "uid", "u-1");
        assertSessionInvalid(h.session(first));
    }

    @Test
    void readingTheSessionCostsTwoRoundTripsAndLogoutOne() {
        Harness h = new Harness();
        String token = h.sessionFor("phone", "uid", "u-1");
        h.recorder.reset();
        h.session(token);
        assertThat(h.recorder.operations()).containsExactly("GetItem", "GetItem");
        h.recorder.reset();
        h.logout(token);
        assertThat(h.recorder.operations()).containsExactly("UpdateItem");
    }

    @Test
    void sessionTokensAreScopedToTheirApp() {
        Harness h = new Harness();
        String token = h.sessionFor("phone", "uid", "u-1");
        assertThat(token).startsWith(h.app.appId() + ".");
    }
}
