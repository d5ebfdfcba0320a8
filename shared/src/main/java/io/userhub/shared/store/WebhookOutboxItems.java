package io.userhub.shared.store;

import io.userhub.shared.event.DomainEvent;
import io.userhub.shared.port.Guard;
import io.userhub.shared.webhook.WebhookEvents;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The outbox items of an outcome's events that some webhook endpoint of the app subscribes to,
 * put in the outcome's own transaction: a login or identity addition that emits an event pays one
 * transactional item more (2 WRU per KB) and no round trip, and the event is written exactly when
 * the outcome is. An app with no endpoint adds nothing (the subscribed types come with the app's
 * cached configuration).
 *
 * @param table           the webhooks table
 * @param subscribedTypes the event types an app's endpoints subscribe to, by app id
 */
public record WebhookOutboxItems(String table, Function<String, Set<String>> subscribedTypes) {
    /** No outbox: a store of a test that hears no webhooks. */
    public static final WebhookOutboxItems NONE = new WebhookOutboxItems("", appId -> Set.of());

    void addTo(Transaction transaction, List<DomainEvent> events) {
        WebhookEvents.recorded(events, subscribedTypes)
                .forEach(webhook -> transaction.put(Guard.NONE, WebhookItems.eventInTransaction(table, webhook)));
    }
}
