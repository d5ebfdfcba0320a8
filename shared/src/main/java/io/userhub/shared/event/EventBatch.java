package io.userhub.shared.event;

import java.util.List;

/**
 * The events of one outcome. {@code recordedWithTheWrite}: their audit records were part of the
 * write that made the outcome (its transaction), so the audit writer has nothing left to write.
 */
public record EventBatch(List<DomainEvent> events, boolean recordedWithTheWrite) {
    public EventBatch {
        events = List.copyOf(events);
    }

    public static EventBatch of(DomainEvent... events) {
        return new EventBatch(List.of(events), false);
    }
}
