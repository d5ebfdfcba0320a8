package io.userhub.shared.observability;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Time spent in DynamoDB calls made on the request's own thread (calls run in parallel on the
 * wiring's executor overlap that time and are not added), for the DynamoDbLatency metric.
 */
public final class DynamoDbTiming implements ExecutionInterceptor {
    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("userhub.startedNanos");
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
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        record(attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        record(attributes);
    }

    private static void record(ExecutionAttributes attributes) {
        long[] totals = TOTALS.get();
        Long started = attributes.getAttribute(STARTED);
        if (totals != null && started != null) {
            totals[0]++;
            totals[1] += System.nanoTime() - started;
        }
    }
}
