package io.userhub.functions.webhooks;

import io.userhub.shared.event.DomainEvent;
import io.userhub.shared.event.EventBatch;
import io.userhub.shared.event.EventSubscriber;
import io.userhub.shared.port.DeliveryQueue;
import io.userhub.shared.port.WebhookDeliveries;
import io.userhub.shared.port.WebhookEndpoints;
import io.userhub.shared.port.WebhookTransport;
import io.userhub.shared.webhook.Delivery;
import io.userhub.shared.webhook.DeliveryAttempt;
import io.userhub.shared.webhook.DeliveryPolicy;
import io.userhub.shared.webhook.DeliveryRecord;
import io.userhub.shared.webhook.EndpointRules;
import io.userhub.shared.webhook.WebhookEndpoint;
import io.userhub.shared.webhook.WebhookEvents;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One attempt of one delivery, and what follows from its answer ({@link DeliveryPolicy}): delivered,
 * failed for good (an answer that stops retries), due again after a wait, or dead once the schedule
 * is spent. A dead delivery goes to the dead letters and marks its endpoint failing (an audit record
 * says so); an endpoint failing for {@link EndpointRules#DISABLED_AFTER_FAILING} is disabled (another
 * record). A delivered event clears the failing mark. Every attempt is in the endpoint's log.
 */
public final class DeliverUseCase {
    public static final String SKIPPED = "skipped";

    /** What became of an attempt: {@code status()} as the delivery's log says it; a pending one is due again after its wait. */
    public sealed interface Outcome {
        String status();

        default Optional<Duration> retryIn() {
            return Optional.empty();
        }

        record Delivered() implements Outcome {
            public String status() {
                return DeliveryRecord.DELIVERED;
            }
        }

        /** An answer that stops retries (4xx, 3xx, an address refused at delivery). */
        record Failed() implements Outcome {
            public String status() {
                return DeliveryRecord.FAILED;
            }
        }

        record Pending(Duration due) implements Outcome {
            public String status() {
                return DeliveryRecord.PENDING;
            }

            @Override
            public Optional<Duration> retryIn() {
                return Optional.of(due);
            }
        }

        /** The schedule spent: dead-lettered, the endpoint marked failing. */
        record Dead() implements Outcome {
            public String status() {
                return DeliveryRecord.DEAD;
            }
        }

        /** No attempt: the endpoint is gone or disabled. */
        record Skipped() implements Outcome {
            public String status() {
                return SKIPPED;
            }
        }
    }

    private final WebhookEndpoints endpoints;
    private final WebhookDeliveries deliveries;
    private final DeliveryQueue queue;
    private final WebhookTransport transport;
    private final EventSubscriber events;
    private final Clock clock;
    private final double backoffScale;

    public DeliverUseCase(WebhookEndpoints endpoints, WebhookDeliveries deliveries, DeliveryQueue queue, WebhookTransport transport,
                          EventSubscriber events, Clock clock, double backoffScale) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.queue = queue;
        this.transport = transport;
        this.events = events;
        this.clock = clock;
        this.backoffScale = backoffScale;
    }

    /** @param attemptNumber this attempt's number in its series, from 1 */
    public Outcome attempt(Delivery delivery, int attemptNumber) {
        String appId = delivery.event().appId();
        Optional<WebhookEndpoint> found = endpoints.find(appId, delivery.endpointId());
        if (found.isEmpty() || !found.get().enabled()) {
            return new Outcome.Skipped();
        }
        WebhookEndpoint endpoint = found.get();
        DeliveryAttempt attempt = transport.send(endpoint.url(), delivery.event().id(), endpoint.secretsInForce(clock.instant()),
                WebhookEvents.body(delivery.event()));
        Instant now = clock.instant();
        switch (attempt.verdict()) {
            case DELIVERED -> {
                deliveries.recordAttempt(delivery, attempt, DeliveryRecord.DELIVERED, now, null);
                if (endpoint.failingSince() != null) {
                    endpoints.update(appId, endpoint.id(), e -> e.withFailingSince(null));
                    changed(endpoint, delivery.event().domainId(), "recovered", now);
                }
                return new Outcome.Delivered();
            }
            case STOP -> {
                deliveries.recordAttempt(delivery, attempt, DeliveryRecord.FAILED, now, null);
                return new Outcome.Failed();
            }
            default -> {
                Optional<Duration> wait = DeliveryPolicy.nextWait(attemptNumber, attempt.retryAfter(), backoffScale);
                if (wait.isPresent()) {
                    deliveries.recordAttempt(delivery, attempt, DeliveryRecord.PENDING, now, now.plus(wait.get()));
                    return new Outcome.Pending(wait.get());
                }
                deliveries.recordAttempt(delivery, attempt, DeliveryRecord.DEAD, now, null);
                queue.deadLetter(delivery, attempt.error());
                markFailing(endpoint, delivery.event().domainId(), now);
                return new Outcome.Dead();
            }
        }
    }

    private void markFailing(WebhookEndpoint endpoint, String domainId, Instant now) {
        Optional<WebhookEndpoint> marked = endpoints.update(endpoint.appId(), endpoint.id(), e -> {
            if (e.failingSince() == null) {
                return e.withFailingSince(now);
            }
            return e.enabled() && EndpointRules.disabledBy(e.failingSince(), now)
                    ? e.disabledFor("failing since " + e.failingSince()) : e;
        });
        if (marked.isEmpty()) {
            return;
        }
        if (endpoint.failingSince() == null && now.equals(marked.get().failingSince())) {
            changed(endpoint, domainId, "failing", now);
        } else if (endpoint.enabled() && !marked.get().enabled()) {
            changed(endpoint, domainId, "disabled", now);
        }
    }

    private void changed(WebhookEndpoint endpoint, String domainId, String change, Instant at) {
        events.on(EventBatch.of(new DomainEvent.SettingsChanged(endpoint.appId(), domainId, at,
                Map.of("webhook_endpoint", endpoint.id(), "change", change))));
    }
}
