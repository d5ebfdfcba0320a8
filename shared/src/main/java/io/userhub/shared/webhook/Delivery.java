package io.userhub.shared.webhook;

import java.util.Objects;

/**
 * One event on its way to one endpoint: what the engine's queue carries. Deliveries of one
 * endpoint and one user share a {@link #group()}, which the queue keeps in order.
 */
public record Delivery(String endpointId, WebhookEvent event, String series) {
    /** The series of the event's own delivery; a resend or replay starts a series of its own. */
    public static final String FIRST_SERIES = "event";

    public Delivery {
        Objects.requireNonNull(endpointId);
        Objects.requireNonNull(event);
        Objects.requireNonNull(series);
    }

    public Delivery(String endpointId, WebhookEvent event) {
        this(endpointId, event, FIRST_SERIES);
    }

    /** The delivery's id in the endpoint's log: its event's time and id, so that the log lists newest first. */
    public String id() {
        return idOf(event);
    }

    public static String idOf(WebhookEvent event) {
        return String.format("%013d", event.timestamp().toEpochMilli()) + "." + event.id();
    }

    /** What the queue orders by: the endpoint and the user the event is about (the app, for app-wide events). */
    public String group() {
        Object user = event.data().get("user_id");
        return endpointId + "." + (user != null ? user : event.data().getOrDefault("owner_user_id", event.appId()));
    }
}
