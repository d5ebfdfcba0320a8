package io.userhub.shared.port;

import io.userhub.shared.webhook.DeliveryAttempt;
import io.userhub.shared.webhook.DeliveryRecord;
import io.userhub.shared.webhook.Delivery;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Each endpoint's delivery log: one entry per event delivered to it, updated by every attempt. */
public interface WebhookDeliveries {
    /**
     * Notes an attempt: counted, its answer kept, the delivery's status set.
     *
     * @param nextAttemptAt when the next attempt is due, for a pending delivery; null otherwise
     */
    void recordAttempt(Delivery delivery, DeliveryAttempt attempt, String status, Instant at, Instant nextAttemptAt);

    /** The endpoint's deliveries, newest event first. */
    List<DeliveryRecord> recent(String endpointId, int limit);

    Optional<DeliveryRecord> findDelivery(String endpointId, String deliveryId);
}
