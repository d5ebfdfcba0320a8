package io.userhub.shared.port;

import io.userhub.shared.webhook.WebhookEvent;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The events the engine delivers, each written once: the adapter's stream hands every new one to
 * the fan-out. Kept for replay for {@code EndpointRules.EVENT_RETENTION}.
 */
public interface WebhookOutbox {
    /** Records it; recording the same event again (same id and time) changes nothing and delivers nothing twice. */
    void record(WebhookEvent event);

    /** The app's events from {@code since} (inclusive) to {@code until} (exclusive), oldest first, at most {@code limit}. */
    List<WebhookEvent> between(String appId, Instant since, Instant until, int limit);

    Optional<WebhookEvent> findEvent(String appId, Instant at, String eventId);
}
