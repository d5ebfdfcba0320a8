package io.userhub.shared.observability;

import software.amazon.awssdk.core.interceptor.ExecutionAttributes;

/**
 * Time spent in DynamoDB calls made on the request's own thread (calls run in parallel on the
 * wiring's executor overlap that time and are not added), for the DynamoDbLatency metric.
 */
public final class DynamoDbTiming extends TimedCalls {
    private static final ThreadLocal<long[]> TOTALS = new ThreadLocal<>();

    /** Starts counting for the request handled on this thread. */
    public static void begin() {
        TOTALS.set(new long[2]);
    }

    /** {calls, milliseconds} since {@link #begin()}, and stops counting. */
    public static long[] end() {
        long[] totals = TOTALS.get();
        TOTALS.remove();
        return totals == null ? new long[2] : new long[] {totals[0], totals[1] / 1_000_000};
    }

    @Override
    protected void ended(ExecutionAttributes attributes, Long startNanos, long endNanos) {
        long[] totals = TOTALS.get();
        if (totals != null && startNanos != null) {
            totals[0]++;
            totals[1] += endNanos - startNanos;
        }
    }
}
