package io.userhub.shared.config;

import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A dependency's fault is never a 500 (SPEC section 7): throttling that outlasted the SDK's
 * retries, and a write that met another request's transaction on the same item, are 503
 * SERVICE_BUSY with Retry-After; a DynamoDB or EventBridge that is unreachable,
 * too slow or failing on its side is 503 SERVICE_UNAVAILABLE. Either way the client may retry;
 * a login whose write outcome was unknown is safe to retry (the next attempt reads what landed).
 */
public final class DependencyFaults {
    private DependencyFaults() {}

    private static final Set<String> THROTTLING_CANCELLATIONS = Set.of("ThrottlingError", "ProvisionedThroughputExceeded");
    public static final int RETRY_AFTER_SECONDS = 1;

    public static Optional<Problem> classify(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TransactionCanceledException cancelled && cancelled.hasCancellationReasons()
                    && cancelled.cancellationReasons().stream().map(CancellationReason::code).anyMatch(THROTTLING_CANCELLATIONS::contains)) {
                return Optional.of(busy());
            }
            if (t instanceof TransactionConflictException) {
                // A plain write that met another request's transaction on the same item: transient, retry.
                return Optional.of(busy());
            }
            if (t instanceof AwsServiceException service) {
                if (service.isThrottlingException()) {
                    return Optional.of(busy());
                }
                if (service.statusCode() >= 500) {
                    return Optional.of(unavailable("DEPENDENCY_ERROR"));
                }
                return Optional.empty();
            }
            if (t instanceof SdkClientException) {
                return Optional.of(unavailable(t instanceof RequestDeadline.DeadlineExceeded ? "TIME_BUDGET_EXHAUSTED" : "DEPENDENCY_UNREACHABLE"));
            }
        }
        return Optional.empty();
    }

    private static Problem busy() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("retryAfterSeconds", RETRY_AFTER_SECONDS);
        return Problem.withDetails(Reason.SERVICE_BUSY, details);
    }

    private static Problem unavailable(String problem) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("problem", problem);
        details.put("retryAfterSeconds", RETRY_AFTER_SECONDS);
        return Problem.withDetails(Reason.SERVICE_UNAVAILABLE, details);
    }
}
