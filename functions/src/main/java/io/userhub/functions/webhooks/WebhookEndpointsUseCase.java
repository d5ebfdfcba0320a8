package io.userhub.functions.webhooks;

import io.userhub.shared.event.DomainEvent;
import io.userhub.shared.event.EventBatch;
import io.userhub.shared.event.EventSubscriber;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.outbound.OutboundUrls;
import io.userhub.shared.port.DeliveryQueue;
import io.userhub.shared.port.WebhookDeliveries;
import io.userhub.shared.port.WebhookEndpoints;
import io.userhub.shared.port.WebhookOutbox;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;
import io.userhub.shared.webhook.Delivery;
import io.userhub.shared.webhook.DeliveryRecord;
import io.userhub.shared.webhook.EndpointRules;
import io.userhub.shared.webhook.StandardWebhooks;
import io.userhub.shared.webhook.WebhookEndpoint;
import io.userhub.shared.webhook.WebhookEvent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The customer's backend (or the operator) manages an app's webhook endpoints: add one (its
 * secret shown once), change it, rotate its secret (the old one signs beside the new for the
 * overlap), remove it; read its delivery log, resend one delivery, replay a time window. Every
 * change is an audit record (a settings change naming the endpoint).
 */
public final class WebhookEndpointsUseCase {
    /** What an added endpoint's owner must keep: the secret is never shown again. */
    public record Created(WebhookEndpoint endpoint, String secret) {}

    public record Changes(Optional<String> url, Optional<List<String>> eventTypes, Optional<Boolean> enabled,
                          Optional<String> description) {}

    public record Rotated(WebhookEndpoint endpoint, String secret, Instant previousRetiresAt) {}

    /** @param nextSince where a replay cut at its limit goes on, if it was */
    public record Replayed(int events, Optional<Instant> nextSince) {}

    private final io.userhub.shared.port.Apps apps;
    private final WebhookEndpoints endpoints;
    private final WebhookOutbox outbox;
    private final WebhookDeliveries deliveries;
    private final DeliveryQueue queue;
    private final EventSubscriber events;
    private final Clock clock;
    private final OutboundUrls.Resolver resolver;
    private final boolean localUse;

    public WebhookEndpointsUseCase(io.userhub.shared.port.Apps apps, WebhookEndpoints endpoints, WebhookOutbox outbox,
                                   WebhookDeliveries deliveries, DeliveryQueue queue, EventSubscriber events, Clock clock,
                                   OutboundUrls.Resolver resolver, boolean localUse) {
        this.apps = apps;
        this.endpoints = endpoints;
        this.outbox = outbox;
        this.deliveries = deliveries;
        this.queue = queue;
        this.events = events;
        this.clock = clock;
        this.resolver = resolver;
        this.localUse = localUse;
    }

    public Created create(AppConfig app, String url, List<String> eventTypes, Boolean enabled, String description) {
        String checkedUrl = checkedUrl(url);
        Set<String> types = EndpointRules.eventTypes(eventTypes);
        String text = EndpointRules.description(description);
        String secret = StandardWebhooks.newSecret();
        Instant now = clock.instant();
        WebhookEndpoint endpoint = new WebhookEndpoint(app.appId(), EndpointRules.newEndpointId(), checkedUrl, types,
                enabled == null || enabled, text, List.of(new WebhookEndpoint.Secret(secret, null)), now, null, null, 1);
        endpoints.create(endpoint, EndpointRules.MAX_ENDPOINTS_PER_APP);
        changed(app, endpoint.id(), "created", now);
        return new Created(endpoint, secret);
    }

    public List<WebhookEndpoint> list(AppConfig app) {
        return endpoints.list(app.appId());
    }

    public WebhookEndpoint get(AppConfig app, String endpointId) {
        return (EndpointRules.isEndpointId(endpointId) ? endpoints.find(app.appId(), endpointId) : Optional.<WebhookEndpoint>empty())
                .orElseThrow(() -> Problem.of(Reason.WEBHOOK_ENDPOINT_NOT_FOUND).reject());
    }

    public WebhookEndpoint update(AppConfig app, String endpointId, Changes changes) {
        Optional<String> url = changes.url().map(this::checkedUrl);
        Optional<Set<String>> types = changes.eventTypes().map(EndpointRules::eventTypes);
        Optional<String> text = changes.description().map(EndpointRules::description);
        get(app, endpointId);
        WebhookEndpoint changed = endpoints.update(app.appId(), endpointId, endpoint -> {
            WebhookEndpoint next = endpoint;
            next = url.map(next::withUrl).orElse(next);
            next = types.map(next::withEventTypes).orElse(next);
            next = text.map(next::withDescription).orElse(next);
            next = changes.enabled().map(next::withEnabled).orElse(next);
            return next;
        }).orElseThrow(() -> Problem.of(Reason.WEBHOOK_ENDPOINT_NOT_FOUND).reject());
        changed(app, endpointId, "updated", clock.instant());
        return changed;
    }

    public Rotated rotateSecret(AppConfig app, String endpointId, Long overlapHours) {
        Duration overlap = EndpointRules.rotationOverlap(overlapHours);
        get(app, endpointId);
        String secret = StandardWebhooks.newSecret();
        Instant now = clock.instant();
        Instant retires = now.plus(overlap);
        WebhookEndpoint rotated = endpoints.update(app.appId(), endpointId, endpoint -> {
            List<WebhookEndpoint.Secret> secrets = new ArrayList<>();
            secrets.add(new WebhookEndpoint.Secret(secret, null));
            for (WebhookEndpoint.Secret old : endpoint.secrets()) {
                Instant oldRetires = old.retiresAt() == null || old.retiresAt().isAfter(retires) ? retires : old.retiresAt();
                if (oldRetires.isAfter(now)) {
                    secrets.add(old.retiringAt(oldRetires));
                }
            }
            return endpoint.withSecrets(secrets);
        }).orElseThrow(() -> Problem.of(Reason.WEBHOOK_ENDPOINT_NOT_FOUND).reject());
        changed(app, endpointId, "secret_rotated", now);
        return new Rotated(rotated, secret, retires);
    }

    public void delete(AppConfig app, String endpointId) {
        if (!EndpointRules.isEndpointId(endpointId) || !endpoints.delete(app.appId(), endpointId)) {
            throw Problem.of(Reason.WEBHOOK_ENDPOINT_NOT_FOUND).reject();
        }
        changed(app, endpointId, "deleted", clock.instant());
    }

    public List<DeliveryRecord> deliveries(AppConfig app, String endpointId, int limit) {
        get(app, endpointId);
        return deliveries.recent(endpointId, Math.max(1, Math.min(limit, EndpointRules.MAX_LISTED_DELIVERIES)));
    }

    /** Queues the delivery's event to the endpoint again, as a series of its own (same {@code webhook-id}). */
    public DeliveryRecord resend(AppConfig app, String endpointId, String deliveryId) {
        enabled(get(app, endpointId));
        if (!Delivery.isDeliveryId(deliveryId)) {
            throw Problem.of(Reason.DELIVERY_NOT_FOUND).reject();
        }
        DeliveryRecord record = deliveries.findDelivery(endpointId, deliveryId)
                .orElseThrow(() -> Problem.of(Reason.DELIVERY_NOT_FOUND).reject());
        WebhookEvent event = outbox.findEvent(app.appId(), record.eventAt(), record.eventId())
                .orElseThrow(() -> Problem.of(Reason.DELIVERY_NOT_FOUND).reject());
        queue.enqueue(List.of(new Delivery(endpointId, event, "resend-" + clock.millis())));
        return record;
    }

    /** Queues every event of the window of a type the endpoint subscribes to, oldest first, up to the replay limit. */
    public Replayed replay(AppConfig app, String endpointId, Instant since, Instant until) {
        Instant now = clock.instant();
        EndpointRules.replayWindow(since, until, now);
        WebhookEndpoint endpoint = enabled(get(app, endpointId));
        List<WebhookEvent> window = outbox.between(app.appId(), since, until == null ? now : until, EndpointRules.MAX_REPLAY_EVENTS + 1);
        Optional<Instant> nextSince = Optional.empty();
        if (window.size() > EndpointRules.MAX_REPLAY_EVENTS) {
            nextSince = Optional.of(window.get(EndpointRules.MAX_REPLAY_EVENTS).timestamp());
            window = window.subList(0, EndpointRules.MAX_REPLAY_EVENTS);
        }
        String series = "replay-" + now.toEpochMilli();
        List<Delivery> queued = window.stream().filter(e -> endpoint.eventTypes().contains(e.type()))
                .map(e -> new Delivery(endpointId, e, series)).toList();
        queue.enqueue(queued);
        return new Replayed(queued.size(), nextSince);
    }

    /** A disabled endpoint gets nothing, so nothing is queued for it: enable it first. */
    private static WebhookEndpoint enabled(WebhookEndpoint endpoint) {
        if (!endpoint.enabled()) {
            throw Problem.withDetails(Reason.WEBHOOK_ENDPOINT_DISABLED,
                    Map.of("disabled_reason", endpoint.disabledReason() == null ? "" : endpoint.disabledReason())).reject();
        }
        return endpoint;
    }

    private String checkedUrl(String url) {
        String checked = EndpointRules.url(url);
        OutboundUrls.refusal(checked, localUse, resolver).ifPresent(refusal -> {
            throw Problem.withDetails(Reason.WEBHOOK_URL_REFUSED, Map.of("refusal", refusal.name())).reject();
        });
        return checked;
    }

    /** The change is recorded, and this function's copy of the app (its wanted event types) read afresh. */
    private void changed(AppConfig app, String endpointId, String change, Instant at) {
        apps.forget(app.appId());
        events.on(EventBatch.of(new DomainEvent.SettingsChanged(app.appId(), app.domainId(), at,
                Map.of("webhook_endpoint", endpointId, "change", change))));
    }
}
