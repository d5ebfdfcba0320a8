package io.userhub.shared.observability;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.event.EventBatch;
import io.userhub.shared.event.EventSubscriber;

import java.util.Map;

/**
 * A subscriber whose failures are seen: a JSON line (the subscriber, the exception's class, never
 * its message) with the metric {@code EventSubscriberFailures} by {@code Subscriber}, then the
 * failure goes on to {@link EventSubscriber#all}, which keeps it from the answer.
 */
public final class ObservedSubscriber implements EventSubscriber {
    private final String name;
    private final EventSubscriber subscriber;

    public ObservedSubscriber(String name, EventSubscriber subscriber) {
        this.name = name;
        this.subscriber = subscriber;
    }

    @Override
    public void on(EventBatch batch) {
        try {
            subscriber.on(batch);
        } catch (RuntimeException failed) {
            ObjectNode line = JsonLog.line("ERROR", "event subscriber failed");
            line.put("Subscriber", name).put("exception", failed.getClass().getName())
                    .put("cause", failed.getCause() == null ? null : failed.getCause().getClass().getName());
            JsonLog.emit(JsonLog.withMetrics(line, Map.of("EventSubscriberFailures", 1), Map.of(), new String[] {"Subscriber"}));
            throw failed;
        }
    }
}
