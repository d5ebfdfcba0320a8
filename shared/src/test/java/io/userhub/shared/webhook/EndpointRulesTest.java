package io.userhub.shared.webhook;

import io.userhub.shared.validation.Rejection;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EndpointRulesTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void eventTypesAreKnownAtLeastOneAndEachOnce() {
        assertThat(EndpointRules.eventTypes(List.of("user.created", "user.created", "sessions.ended")))
                .containsExactly("user.created", "sessions.ended");
        assertThatThrownBy(() -> EndpointRules.eventTypes(List.of())).isInstanceOf(Rejection.class)
                .satisfies(e -> assertThat(((Rejection) e).problem().errors()).containsEntry("event_types", "MISSING"));
        assertThatThrownBy(() -> EndpointRules.eventTypes(List.of("user.created", "user.teleported")))
                .satisfies(e -> assertThat(((Rejection) e).problem().details()).containsEntry("unknown_event_types", List.of("user.teleported")));
    }

    @Test
    void aRotationOverlapsForADayUnlessToldAndAtMostAWeek() {
        assertThat(EndpointRules.rotationOverlap(null)).isEqualTo(Duration.ofHours(24));
        assertThat(EndpointRules.rotationOverlap(0L)).isZero();
        assertThat(EndpointRules.rotationOverlap(168L)).isEqualTo(Duration.ofDays(7));
        assertThatThrownBy(() -> EndpointRules.rotationOverlap(169L)).isInstanceOf(Rejection.class);
        assertThatThrownBy(() -> EndpointRules.rotationOverlap(-1L)).isInstanceOf(Rejection.class);
    }

    @Test
    void aReplayWindowRunsForwardWithinTheEventsRetention() {
        EndpointRules.replayWindow(NOW.minus(Duration.ofDays(30)), null, NOW);
        assertThatThrownBy(() -> EndpointRules.replayWindow(NOW.minus(Duration.ofDays(30)).minusSeconds(1), null, NOW))
                .isInstanceOf(Rejection.class);
        assertThatThrownBy(() -> EndpointRules.replayWindow(NOW, NOW, NOW)).isInstanceOf(Rejection.class);
        assertThatThrownBy(() -> EndpointRules.replayWindow(null, null, NOW)).isInstanceOf(Rejection.class);
    }

    @Test
    void anEndpointFailingFiveDaysIsDisabledAndNotASecondBefore() {
        Instant since = NOW.minus(Duration.ofDays(5));
        assertThat(EndpointRules.disabledBy(since, NOW)).isTrue();
        assertThat(EndpointRules.disabledBy(since.plusSeconds(1), NOW)).isFalse();
        assertThat(EndpointRules.disabledBy(null, NOW)).isFalse();
    }

    @Test
    void aRotatedSecretSignsUntilItRetiresAndNotAtThatInstant() {
        WebhookEndpoint endpoint = new WebhookEndpoint("app", EndpointRules.newEndpointId(), "https://x.example", java.util.Set.of("user.created"),
                true, null, List.of(new WebhookEndpoint.Secret("new", null), new WebhookEndpoint.Secret("old", NOW)), NOW, null, null, 1);
        assertThat(endpoint.secretsInForce(NOW.minusMillis(1))).containsExactly("new", "old");
        assertThat(endpoint.secretsInForce(NOW)).containsExactly("new");
        assertThat(EndpointRules.isEndpointId(endpoint.id())).isTrue();
        assertThat(EndpointRules.isEndpointId("ep_../../APP#x")).isFalse();
        assertThat(endpoint.withEnabled(false).wants("user.created")).isFalse();
        assertThat(endpoint.wants("user.erased")).isFalse();
    }
}
