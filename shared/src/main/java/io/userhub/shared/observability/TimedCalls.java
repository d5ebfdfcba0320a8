package io.userhub.shared.observability;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/** An SDK interceptor told when each call started and ended, whether it succeeded or failed. */
public abstract class TimedCalls implements ExecutionInterceptor {
    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("userhub.startedNanos");

    /** A call ended; {@code startNanos} is null when the call failed before it started. */
    protected abstract void ended(ExecutionAttributes attributes, Long startNanos, long endNanos);

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        ended(attributes, attributes.getAttribute(STARTED), System.nanoTime());
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        ended(attributes, attributes.getAttribute(STARTED), System.nanoTime());
    }
}
