package io.userhub.shared.webhook;

import io.userhub.shared.event.EventBatch;
import io.userhub.shared.event.EventSubscriber;
import io.userhub.shared.notice.NoticePublisher;
import io.userhub.shared.port.Apps;
import io.userhub.shared.port.WebhookOutbox;

import java.time.Clock;
import java.util.List;

/**
 * Puts into the outbox what some endpoint of the app wants to hear, for the outcomes whose write
 * did not carry it already (a login's or identity addition's transaction does, and an unmerge's):
 * a logout, an erase, ended sessions (as a subscriber, so no use case knows of webhooks), and the
 * notifiers' notices (as a publisher beside the event bus). An app without endpoints costs nothing
 * more (the app's cached config says which types are wanted, within {@code APP_CACHE_SECONDS} of an
 * endpoint's change); an event an endpoint wants costs one write, made before the answer so that
 * an outcome is never lost to the function's end. A write that fails is tried again twice, then
 * given up and reported (the composition logs it with a metric); the outcome's answer stands.
 */
public final class WebhookOutboxWriter implements EventSubscriber {
    private static final int WRITE_ATTEMPTS = 3;

    private final WebhookOutbox outbox;
    private final Apps apps;
    private final Clock clock;

    /** @param apps the apps, with the event types their endpoints want (the function's cached copy: no read) */
    public WebhookOutboxWriter(WebhookOutbox outbox, Apps apps, Clock clock) {
        this.outbox = outbox;
        this.apps = apps;
        this.clock = clock;
    }

    /** Every event of the batch is tried, whatever became of the one before; the first failure is thrown after (for the log). */
    @Override
    public void on(EventBatch batch) {
        if (batch.recordedWithTheWrite()) {
            return; // the outcome's transaction carried its events' outbox items (store.WebhookOutboxItems)
        }
        RuntimeException first = null;
        int lost = 0;
        for (WebhookEvent event : WebhookEvents.recorded(batch.events(), this::subscribedTypes)) {
            try {
                write(event);
            } catch (RuntimeException notRecorded) {
                lost++;
                first = first == null ? notRecorded : first;
            }
        }
        if (first != null) {
            throw new IllegalStateException(lost + " webhook event(s) of an outcome not recorded", first);
        }
    }

    /** The notifiers' publisher with the notices' webhook events beside it. */
    public NoticePublisher besides(NoticePublisher publisher) {
        return notices -> {
            List<Boolean> published = publisher.publish(notices);
            for (int i = 0; i < notices.size(); i++) {
                if (published.get(i)) {
                    try {
                        WebhookEvent event = WebhookEvents.of(notices.get(i), clock.instant());
                        if (subscribedTypes(event.appId()).contains(event.type())) {
                            write(event);
                        }
                    } catch (RuntimeException notRecorded) {
                        // the notice went to the bus; its webhook is lost with this write, as the bus's copy is not
                    }
                }
            }
            return published;
        };
    }

    private java.util.Set<String> subscribedTypes(String appId) {
        return apps.require(appId).webhookTypes();
    }

    private void write(WebhookEvent event) {
        for (int attempt = 1; ; attempt++) {
            try {
                outbox.record(event);
                return;
            } catch (RuntimeException fault) {
                if (attempt == WRITE_ATTEMPTS) {
                    throw fault;
                }
            }
        }
    }
}
