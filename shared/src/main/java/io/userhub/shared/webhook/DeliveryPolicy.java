package io.userhub.shared.webhook;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * What a delivery's answer means and when the next attempt is due. 2xx delivered it; 408, 429
 * and 5xx (and a timeout or a connection that failed) are tried again on the schedule below,
 * later if the answer's {@code Retry-After} says so; any other answer (3xx: redirects are not
 * followed, and 4xx) stops at once. The schedule (immediately, then 5 s, 5 min, 30 min, 2 h, 5 h,
 * 10 h, 10 h: 27 h 35 min in all) outlasts a day; after its last attempt the delivery is dead.
 */
public final class DeliveryPolicy {
    private DeliveryPolicy() {}

    public enum Verdict { DELIVERED, RETRY, STOP }

    /** The waits before the second, third, ... attempt. */
    public static final List<Duration> BACKOFF = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30),
            Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));

    /** The longest wait a {@code Retry-After} may ask for; a longer one is capped to it. */
    public static final Duration LONGEST_RETRY_AFTER = Duration.ofHours(10);

    /** @param status the answer's status, or 0 when there was none (timeout, connection failed) */
    public static Verdict verdictOf(int status) {
        if (status >= 200 && status < 300) {
            return Verdict.DELIVERED;
        }
        if (status == 0 || status == 408 || status == 429 || status >= 500) {
            return Verdict.RETRY;
        }
        return Verdict.STOP;
    }

    /**
     * The wait before the next attempt, or empty when the schedule is spent (the delivery is dead).
     *
     * @param attemptsMade attempts so far, at least 1
     * @param scale        1 in production; the local server's flag shortens every wait by it
     */
    public static Optional<Duration> nextWait(int attemptsMade, Optional<Duration> retryAfter, double scale) {
        if (attemptsMade < 1 || attemptsMade > BACKOFF.size()) {
            return Optional.empty();
        }
        Duration scheduled = BACKOFF.get(attemptsMade - 1);
        Duration asked = retryAfter.map(wait -> wait.compareTo(LONGEST_RETRY_AFTER) > 0 ? LONGEST_RETRY_AFTER : wait).orElse(Duration.ZERO);
        Duration wait = asked.compareTo(scheduled) > 0 ? asked : scheduled;
        return Optional.of(Duration.ofMillis(Math.max(1, (long) (wait.toMillis() * scale))));
    }

    /** A {@code Retry-After} header: seconds, or an HTTP date; empty when absent or unreadable. */
    public static Optional<Duration> retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        if (value.chars().allMatch(Character::isDigit) && value.length() <= 9) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
        } catch (DateTimeParseException unreadable) {
            return Optional.empty();
        }
    }
}
