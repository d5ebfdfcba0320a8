package io.userhub.shared.port;

import io.userhub.shared.webhook.Delivery;

import java.util.List;

/**
 * The delivery engine's queue: deliveries go out in order per {@link Delivery#group()} and at
 * least once. Deployed, an SQS FIFO queue whose messages wait out their back-off invisible;
 * locally, the local server's in-memory twin.
 */
public interface DeliveryQueue {
    void enqueue(List<Delivery> deliveries);

    /** A delivery whose retries are spent: kept where an operator can look at it (a dead-letter queue). */
    void deadLetter(Delivery delivery, String reason);
}
