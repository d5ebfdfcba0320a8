package io.userhub.shared.webhook;

import io.userhub.shared.event.DomainEvent;
import io.userhub.shared.model.Identity;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which domain events the customer's backend hears of, as what, and that an identifier's value never goes out. */
class WebhookEventsTest {
    private static final Instant AT = Instant.parse("2026-12-07T12:00:00Z");
    private static final Identity EMAIL = new Identity("email", "private@example.com", Map.of());

    @Test
    void eachLifecycleEventBecomesItsWebhookType() {
        assertThat(type(new DomainEvent.LoginAccepted("app", "dom", AT, "login-1", "u-1", true, Map.of()))).isEqualTo("user.created");
        assertThat(WebhookEvents.of(new DomainEvent.LoginAccepted("app", "dom", AT, "login-2", "u-1", false, Map.of())))
                .as("a returning user's login is no event for the backend").isEmpty();
        assertThat(type(new DomainEvent.UsersMerged("app", "dom", AT, "login-3", "anon", "u-1"))).isEqualTo("user.merged");
        assertThat(type(new DomainEvent.IdentityMoved("app", "dom", AT, "login-4", 0, EMAIL, "u-2", "u-1"))).isEqualTo("identity.moved");
        assertThat(type(new DomainEvent.IdentityConflict("app", "dom", AT, "login-5", 0, EMAIL, "u-2", "u-1"))).isEqualTo("identity.conflict");
        assertThat(type(new DomainEvent.UserUnmerged("app", "dom", AT, "u-1", Map.of("merge_id", "0123456789abcdef")))).isEqualTo("user.unmerged");
        assertThat(type(new DomainEvent.UserErased("app", "dom", AT, "u-1", Map.of()))).isEqualTo("user.erased");
        assertThat(type(new DomainEvent.SessionsEnded("app", "dom", AT, "u-1", 2, DomainEvent.SessionsEnded.Cause.LOGOUT)))
                .isEqualTo("sessions.ended");
        assertThat(WebhookEvents.of(new DomainEvent.LoginRefused("app", "dom", AT, Map.of("reason", "X")))).isEmpty();
        assertThat(WebhookEvents.of(new DomainEvent.KeyChanged("app", "dom", AT, Map.of()))).isEmpty();
    }

    @Test
    void aMovedIdentityIsNamedByItsIdentifierNeverItsValue() {
        WebhookEvent moved = WebhookEvents.of(new DomainEvent.IdentityMoved("app", "dom", AT, "login-4", 0, EMAIL, "u-2", "u-1")).orElseThrow();
        assertThat(moved.data()).containsEntry("identifier", "email").containsEntry("from_user_id", "u-2").containsEntry("to_user_id", "u-1");
        assertThat(moved.data().values()).doesNotContain("private@example.com");
        assertThat(moved.appId()).isEqualTo("app");
        assertThat(moved.domainId()).isEqualTo("dom");
        assertThat(moved.timestamp()).isEqualTo(AT);
    }

    @Test
    void theSameOutcomeAlwaysCarriesTheSameIdAndTwoOutcomesTwoIds() {
        DomainEvent first = new DomainEvent.IdentityMoved("app", "dom", AT, "login-4", 0, EMAIL, "u-2", "u-1");
        DomainEvent second = new DomainEvent.IdentityMoved("app", "dom", AT, "login-4", 1, EMAIL, "u-3", "u-1");
        String id = WebhookEvents.of(first).orElseThrow().id();
        assertThat(id).matches("msg_[0-9a-f]{32}");
        assertThat(WebhookEvents.of(first).orElseThrow().id()).isEqualTo(id);
        assertThat(WebhookEvents.of(second).orElseThrow().id()).isNotEqualTo(id);
        assertThat(WebhookEvents.of(new DomainEvent.IdentityMoved("other-app", "dom", AT, "login-4", 0, EMAIL, "u-2", "u-1")).orElseThrow().id())
                .isNotEqualTo(id);
    }

    private static String type(DomainEvent event) {
        return WebhookEvents.of(event).orElseThrow().type();
    }
}
