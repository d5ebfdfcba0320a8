package io.userhub.shared.config;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

import java.time.Duration;

/**
 * A request's time budget, so that no request outlives its Lambda function: the handler sets it
 * from the context's remaining time, and the DynamoDB client refuses to start a call that could
 * not finish (each call is capped by the client's {@code apiCallTimeout}) with one second left
 * for the answer. The caller then answers 503 SERVICE_UNAVAILABLE in the error shape, instead of
 * Lambda cutting the function off and API Gateway answering a bare 503.
 */
public final class RequestDeadline implements ExecutionInterceptor {
    /** Kept free at the end of the function's time for rendering the answer. */
    public static final Duration ANSWER_RESERVE = Duration.ofSeconds(1);

    /** No DynamoDB call (with the SDK's own retries) takes longer: the client's apiCallTimeout. */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);
    /** One HTTP attempt of a call; the SDK retries within {@link #CALL_TIMEOUT}. */
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(1500);

    private static final ThreadLocal<Long> LAST_CALL_START_NANOS = new ThreadLocal<>();

    /** Starts the budget of the request handled on this thread. */
    public static void begin(Duration remaining) {
        long lastStart = System.nanoTime() + remaining.minus(ANSWER_RESERVE).minus(CALL_TIMEOUT).toNanos();
        LAST_CALL_START_NANOS.set(lastStart);
    }

    /**
     * How long this thread's request may still spend on a dependency call (until the last call
     * start plus one call's time), or empty outside a request: an outbound fetch fits its own
     * deadline inside it.
     */
    public static java.util.Optional<Duration> timeLeftForCalls() {
        Long lastStart = LAST_CALL_START_NANOS.get();
        return lastStart == null ? java.util.Optional.empty()
                : java.util.Optional.of(Duration.ofNanos(lastStart + CALL_TIMEOUT.toNanos() - System.nanoTime()));
    }

    public static void end() {
        LAST_CALL_START_NANOS.remove();
    }

    /**
     * Runs work on another thread under this thread's budget (worker threads of a request, such
     * as the import's), so that their DynamoDB calls stop at the same deadline.
     */
    public static <T> java.util.function.Supplier<T> carried(java.util.function.Supplier<T> work) {
        Long lastStart = LAST_CALL_START_NANOS.get();
        return () -> {
            if (lastStart == null) {
                return work.get();
            }
            LAST_CALL_START_NANOS.set(lastStart);
            try {
                return work.get();
            } finally {
                LAST_CALL_START_NANOS.remove();
            }
        };
    }

    /** An executor whose tasks keep the budget of the thread that submits them (see {@link #carried}). */
    public static java.util.concurrent.Executor carrying(java.util.concurrent.Executor workers) {
        return task -> {
            java.util.function.Supplier<Void> underBudget = carried(() -> {
                task.run();
                return null;
            });
            workers.execute(underBudget::get);
        };
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes executionAttributes) {
        Long lastStart = LAST_CALL_START_NANOS.get();
        if (lastStart != null && System.nanoTime() > lastStart) {
            throw new DeadlineExceeded();
        }
    }

    /** The request's budget ran out before a DynamoDB call could start. */
    public static final class DeadlineExceeded extends SdkClientException {
        DeadlineExceeded() {
            super(SdkClientException.builder().message("request time budget exhausted"));
        }
    }
}
