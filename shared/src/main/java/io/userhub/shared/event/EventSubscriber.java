package io.userhub.shared.event;

/** Receives each outcome's events once the outcome is known (committed or refused), never before. */
@FunctionalInterface
public interface EventSubscriber {
    void on(EventBatch batch);

    EventSubscriber NONE = batch -> { };

    /** Every subscriber, in order; one that fails does not keep the others from their events. */
    static EventSubscriber all(java.util.List<EventSubscriber> subscribers) {
        java.util.List<EventSubscriber> copy = java.util.List.copyOf(subscribers);
        return batch -> {
            RuntimeException first = null;
            for (EventSubscriber subscriber : copy) {
                try {
                    subscriber.on(batch);
                } catch (RuntimeException failed) {
                    first = first == null ? failed : first;
                }
            }
            if (first != null) {
                throw first;
            }
        };
    }
}
