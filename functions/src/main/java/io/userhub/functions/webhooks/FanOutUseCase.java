package io.userhub.functions.webhooks;

import io.userhub.shared.port.DeliveryQueue;
import io.userhub.shared.port.WebhookEndpoints;
import io.userhub.shared.webhook.Delivery;
import io.userhub.shared.webhook.WebhookEndpoint;
import io.userhub.shared.webhook.WebhookEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * New outbox events become deliveries: one per event and enabled endpoint of its app that wants
 * its type, queued in the events' order. The endpoints are read once per app and batch.
 */
public final class FanOutUseCase {
    private final WebhookEndpoints endpoints;
    private final DeliveryQueue queue;

    public FanOutUseCase(WebhookEndpoints endpoints, DeliveryQueue queue) {
        this.endpoints = endpoints;
        this.queue = queue;
    }

    /** @return how many deliveries were queued */
    public int fanOut(List<WebhookEvent> events) {
        Map<String, List<WebhookEndpoint>> byApp = new HashMap<>();
        List<Delivery> deliveries = new ArrayList<>();
        for (WebhookEvent event : events) {
            for (WebhookEndpoint endpoint : byApp.computeIfAbsent(event.appId(), endpoints::list)) {
                if (endpoint.wants(event.type())) {
                    deliveries.add(new Delivery(endpoint.id(), event));
                }
            }
        }
        queue.enqueue(deliveries);
        return deliveries.size();
    }
}
