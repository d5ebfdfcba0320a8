package io.userhub.shared.sqs;

import io.userhub.shared.webhook.Delivery;
import io.userhub.shared.webhook.WebhookEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SqsDeliveryQueueTest {
    private static final WebhookEvent EVENT = new WebhookEvent("msg_0123456789abcdef0123456789abcdef", "sessions.ended",
            Instant.parse("2026-12-07T12:00:00.123Z"), "demo", "demo-domain", Map.of("user_id", "u-1", "count", 2, "cause", "logout"));

    @Test
    void aMessageReadsBackAsTheDeliveryItCarries() {
        Delivery delivery = new Delivery("ep_0123456789abcdef01234567", EVENT, "resend-17");
        Delivery read = SqsDeliveryQueue.parse(SqsDeliveryQueue.body(delivery));
        assertThat(read).isEqualTo(delivery);
        assertThat(read.group()).isEqualTo("ep_0123456789abcdef01234567.u-1");
    }

    @Test
    void aDeliverysIdSortsByItsEventsTime() {
        Delivery earlier = new Delivery("ep", new WebhookEvent("msg_b", "user.created", Instant.ofEpochMilli(999), "a", "d", Map.of()));
        Delivery later = new Delivery("ep", new WebhookEvent("msg_a", "user.created", Instant.ofEpochMilli(1000), "a", "d", Map.of()));
        assertThat(earlier.id()).isEqualTo("0000000000999.msg_b");
        assertThat(earlier.id()).isLessThan(later.id());
        // An app-wide event (no user) is grouped by the app.
        assertThat(later.group()).isEqualTo("ep.a");
    }
}
