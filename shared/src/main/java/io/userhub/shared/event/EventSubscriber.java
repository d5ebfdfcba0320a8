package io.userhub.shared.event;

/** Receives each outcome's events once the outcome is known (committed or refused), never before. */
@FunctionalInterface
public interface EventSubscriber {
    void on(EventBatch batch);

    EventSubscriber NONE = batch -> { };

    /**
     * Every subscriber, in order. One that fails keeps its failure to itself (the audit writer
     * retries its writes): the outcome has happened, its answer stands, and the other subscribers
     * still get their events.
     */
    static EventSubscriber all(java.util.List<EventSubscriber> subscribers) {
        java.util.List<EventSubscriber> copy = java.util.List.copyOf(subscribers);
        return batch -> {
            for (EventSubscriber subscriber : copy) {
                try {
                    subscriber.on(batch);
                } catch (RuntimeException failed) {
                    // the subscriber's own to handle; no use case's answer depends on who listens
                }
            }
        };
    }
}
