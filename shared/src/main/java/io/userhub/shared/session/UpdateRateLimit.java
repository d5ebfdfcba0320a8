package io.userhub.shared.session;

import java.time.Instant;
import java.util.Optional;

/**
 * How many updates (identity additions, attribute batches) a session may make: at most the app's
 * {@code updatesPerMinute} in each fixed one-minute window of the epoch. A session keeps one
 * counter (its window and its count), so it stays the same size however long it lives; the first
 * update of another minute starts the count again. The DynamoDB store applies this rule as the
 * conditions of the session's one UpdateItem, the in-memory one with {@link #counted}.
 */
public final class UpdateRateLimit {
    private UpdateRateLimit() {}

    /** A session's counter: the window it counts and the updates counted in it. */
    public record Counter(long window, long count) {}

    public static long windowOf(Instant now) {
        return now.getEpochSecond() / 60;
    }

    /** When a window ends, epoch s: a refused update may try again then. */
    public static long windowEndsAt(long window) {
        return (window + 1) * 60;
    }

    /**
     * The counter once this update is counted, or empty when the window's count is at the limit.
     *
     * @param current the session's counter, null before its first update
     */
    public static Optional<Counter> counted(Counter current, long window, int limitPerMinute) {
        if (current == null || current.window() != window) {
            return Optional.of(new Counter(window, 1));
        }
        return current.count() < limitPerMinute ? Optional.of(new Counter(window, current.count() + 1)) : Optional.empty();
    }
}
