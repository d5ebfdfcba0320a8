package io.userhub.shared.port;

import io.userhub.shared.webhook.DeliveryAttempt;

import java.util.List;

/** One signed POST of an event to an endpoint, bounded in time and in what it reads ({@code outbound.WebhookSender}). */
public interface WebhookTransport {
    DeliveryAttempt send(String url, String messageId, List<String> secrets, String body);
}
