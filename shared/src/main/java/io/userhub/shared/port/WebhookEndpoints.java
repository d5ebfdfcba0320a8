package io.userhub.shared.port;

import io.userhub.shared.webhook.WebhookEndpoint;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * An app's webhook endpoints, secrets sealed at rest by the adapter. Each write keeps the app's
 * count of enabled endpoints per wanted event type ({@code AppConfig.webhookTypes}) in step, in
 * the same transaction.
 */
public interface WebhookEndpoints {
    List<WebhookEndpoint> list(String appId);

    /** The endpoint with its secrets open, to sign with. */
    Optional<WebhookEndpoint> find(String appId, String endpointId);

    /** Adds it, or refuses with {@code WEBHOOK_ENDPOINT_LIMIT_EXCEEDED} when the app has {@code maxPerApp} already (never more, however many add at once). */
    void create(WebhookEndpoint endpoint, int maxPerApp);

    /**
     * Writes {@code change} of the endpoint as stored, over the version it read: a change made
     * meanwhile is read again and the change applied to it, never overwritten. Empty when there is
     * no such endpoint. The endpoint given to {@code change} and returned carries its secrets sealed
     * only (empty values): a change never needs them open, and costs no KMS call.
     */
    Optional<WebhookEndpoint> update(String appId, String endpointId, UnaryOperator<WebhookEndpoint> change);

    boolean delete(String appId, String endpointId);
}
