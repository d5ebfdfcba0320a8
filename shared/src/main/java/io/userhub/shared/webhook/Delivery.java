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

    /**
     * What the queue orders by: the endpoint and the user the event is about (the user an identity
     * moved to, or was asserted for), so one user's retry holds no other user's events.
     */
    public String group() {
        for (String field : java.util.List.of("user_id", "to_user_id", "asserted_for_user_id")) {
            Object user = event.data().get(field);
            if (user != null) {
                return endpointId + "." + user;
            }
        }
        return endpointId + "." + event.appId();
    }

    /** Whether a text can be a delivery's id at all (so a lookup of anything else costs no read). */
    public static boolean isDeliveryId(String id) {
        return id != null && id.matches("[0-9]{13}\\.msg_[0-9a-f]{32}");
    }
}
