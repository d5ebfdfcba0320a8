package io.userhub.functions.support;

import io.userhub.shared.port.DeliveryQueue;
import io.userhub.shared.webhook.Delivery;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The engine's queue as a test sees it: what was queued, and what went to the dead letters. */
public final class RecordingDeliveryQueue implements DeliveryQueue {
    public final List<Delivery> queued = new CopyOnWriteArrayList<>();
    public final List<Delivery> deadLetters = new CopyOnWriteArrayList<>();
    public final List<String> deadReasons = new CopyOnWriteArrayList<>();

    @Override
    public void enqueue(List<Delivery> deliveries) {
        queued.addAll(deliveries);
    }

    @Override
    public void deadLetter(Delivery delivery, String reason) {
        deadLetters.add(delivery);
        deadReasons.add(reason);
    }
}
