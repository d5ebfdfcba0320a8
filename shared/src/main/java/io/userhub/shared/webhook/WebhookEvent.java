package io.userhub.shared.webhook;

import java.time.Instant;
import java.util.Map;

/**
 * One event as the customer's backend receives it: a unique id (the {@code webhook-id} a consumer
 * deduplicates on: the same for every attempt, resend and replay of it), a type, when it happened,
 * the app and domain, and the type's data.
 */
public record WebhookEvent(String id, String type, Instant timestamp, String appId, String domainId, Map<String, Object> data) {
    public WebhookEvent {
        data = Map.copyOf(data);
    }
}
