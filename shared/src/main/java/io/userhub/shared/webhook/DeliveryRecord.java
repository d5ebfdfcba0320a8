package io.userhub.shared.webhook;

import java.time.Instant;

/**
 * A delivery as its endpoint's log shows it.
 *
 * @param status     where it stands: {@code pending} (a retry is due at {@code nextAttemptAt}), {@code delivered},
 *                   {@code failed} (an answer that stops retries, 4xx), or {@code dead} (the retry window spent)
 * @param lastStatus the last answer's HTTP status, 0 for none
 */
public record DeliveryRecord(String id, String endpointId, String eventId, String eventType, Instant eventAt, String status,
                             int attempts, int lastStatus, String lastError, String responseStart, Instant lastAttemptAt,
                             Instant nextAttemptAt) {

    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";
    public static final String DEAD = "dead";
}
