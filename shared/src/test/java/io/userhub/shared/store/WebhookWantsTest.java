package io.userhub.shared.store;

import io.userhub.shared.webhook.WebhookEndpoint;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** How an endpoint's write changes its app's counts of endpoints per wanted event type. */
class WebhookWantsTest {
    private static WebhookEndpoint endpoint(boolean enabled, String... types) {
        return new WebhookEndpoint("app", "ep_0123456789abcdef01234567", "https://x.example", Set.of(types), enabled, "",
                List.of(new WebhookEndpoint.Secret("s", null)), Instant.EPOCH, null, null, 1);
    }

    @Test
    void everyEndpointCountsEnabledOrNotAndUnchangedTypesWriteNothing() {
        assertThat(DynamoWebhooks.wantsChange(null, endpoint(true, "user.created", "user.erased")))
                .isEqualTo(Map.of("user.created", 1, "user.erased", 1));
        // A disabled endpoint's events are kept (for a replay once it is enabled again).
        assertThat(DynamoWebhooks.wantsChange(null, endpoint(false, "user.created"))).isEqualTo(Map.of("user.created", 1));
        assertThat(DynamoWebhooks.wantsChange(endpoint(true, "user.created"), endpoint(false, "user.created"))).isEmpty();
        assertThat(DynamoWebhooks.wantsChange(endpoint(true, "user.created", "sessions.ended"), endpoint(true, "user.created", "user.erased")))
                .isEqualTo(Map.of("sessions.ended", -1, "user.erased", 1));
        assertThat(DynamoWebhooks.wantsChange(endpoint(true, "user.created"), endpoint(true, "user.created"))).isEmpty();
        assertThat(DynamoWebhooks.wantsChange(endpoint(true, "user.created"), null)).isEqualTo(Map.of("user.created", -1));
    }
}
