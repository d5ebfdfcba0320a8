package io.userhub.shared.event;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** A subscriber that fails (a webhook outbox, say) neither fails the outcome's answer nor keeps the others from their events. */
class EventSubscriberTest {
    @Test
    void aFailingSubscriberKeepsItsFailureAndTheOthersStillHear() {
        List<EventBatch> heard = new ArrayList<>();
        EventSubscriber failing = batch -> {
            throw new IllegalStateException("the outbox is throttled");
        };
        EventSubscriber subscribers = EventSubscriber.all(List.of(failing, heard::add));
        EventBatch erased = EventBatch.of(new DomainEvent.UserErased("app", "domain", Instant.EPOCH, "u-1", Map.of()));

        assertThatCode(() -> subscribers.on(erased)).doesNotThrowAnyException();
        assertThat(heard).containsExactly(erased);
    }
}
