package io.userhub.testkit;

import io.userhub.shared.observability.TimedCalls;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Counts the DynamoDB calls a client makes, with when each started and ended, so that a test
 * can tell calls made in parallel from calls made one after another ("sequential round trips").
 */
public final class RoundTripRecorder extends TimedCalls {

    /** @param thread the thread that made the call (a background write's is not the request's) */
    public record Call(String operation, long startNanos, long endNanos, String thread) {}

    private final List<Call> calls = new ArrayList<>();

    @Override
    protected synchronized void ended(ExecutionAttributes attributes, Long startNanos, long endNanos) {
        calls.add(new Call(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                startNanos == null ? endNanos : startNanos, endNanos, Thread.currentThread().getName()));
    }

    public synchronized void reset() {
        calls.clear();
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<String> operations() {
        return calls.stream().sorted(Comparator.comparingLong(Call::startNanos)).map(Call::operation).toList();
    }

    /**
     * The longest chain of calls each of which started after the previous one ended: the number
     * of round trips a caller waited for one after another. Calls that overlap count once.
     */
    public synchronized int sequentialRoundTrips() {
        return longestChain(calls);
    }

    /** The thread of the writes that follow an answer (audit records, key-use notes): no caller waits for them. */
    public static final String AFTER_ANSWER_THREAD = "userhub-background-writes";

    /** The round trips the caller waited for one after another: the chain without the writes that follow the answer. */
    public synchronized int sequentialRoundTripsOfTheAnswer() {
        return longestChain(calls.stream().filter(call -> !AFTER_ANSWER_THREAD.equals(call.thread())).toList());
    }

    private static int longestChain(List<Call> calls) {
        List<Call> sorted = calls.stream().sorted(Comparator.comparingLong(Call::endNanos)).toList();
        int[] chain = new int[sorted.size()];
        int longest = 0;
        for (int i = 0; i < sorted.size(); i++) {
            chain[i] = 1;
            for (int j = 0; j < i; j++) {
                if (sorted.get(j).endNanos() <= sorted.get(i).startNanos()) {
                    chain[i] = Math.max(chain[i], chain[j] + 1);
                }
            }
            longest = Math.max(longest, chain[i]);
        }
        return longest;
    }
}
