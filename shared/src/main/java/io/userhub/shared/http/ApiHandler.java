package io.userhub.shared.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;
import io.userhub.shared.validation.Rejection;

import io.userhub.shared.config.DependencyFaults;
import io.userhub.shared.config.RequestDeadline;
import io.userhub.shared.observability.DynamoDbTiming;
import io.userhub.shared.observability.RequestLog;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * The common edge of every HTTP handler: an expected {@link Rejection} becomes the spec's error
 * shape; anything else becomes a 500 {@code INTERNAL_ERROR} that leaks no exception text. Only
 * the exception class is logged: messages may carry tokens or identity values.
 */
public abstract class ApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** The API failure family this route reports, e.g. {@code LOGIN_FAILED}. */
    protected abstract String failureFamily();

    /** Routes whose family depends on the problem (global vs app attribute updates) override this. */
    protected String failureFamily(Problem problem) {
        return failureFamily();
    }

    protected abstract APIGatewayV2HTTPResponse handle(HttpRequest request);

    /**
     * Who may call a browser-facing route from a web page: the stack's origins and the app's own
     * (empty when the app lists none or is not known from the request).
     */
    public record CorsScope(java.util.Set<String> stackOrigins, java.util.Set<String> appOrigins) {}

    /** Browser-facing routes (login and the session routes) say their scope; server routes answer no CORS. */
    protected Optional<CorsScope> corsScope(HttpRequest request) {
        return Optional.empty();
    }

    @Override
    public final APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        long started = System.nanoTime();
        String requestId = event != null && event.getRequestContext() != null && event.getRequestContext().getRequestId() != null
                ? event.getRequestContext().getRequestId() : UUID.randomUUID().toString();
        // On Lambda (and in the local server) the budget is the time the context has left; a caller
        // without a context (tests, tools) has only the per-call timeouts.
        if (context != null) {
            RequestDeadline.begin(Duration.ofMillis(context.getRemainingTimeInMillis()));
        }
        DynamoDbTiming.begin();
        String outcome = "ok";
        Problem failure = null;
        APIGatewayV2HTTPResponse response;
        Optional<String> allowOrigin = Optional.empty();
        try {
            if (event == null) {
                throw Problem.of(Reason.MALFORMED_JSON).reject();
            }
            HttpRequest request = HttpRequest.from(event);
            Optional<String> origin = request.header("origin");
            Optional<CorsScope> scope = origin.isPresent() ? corsScope(request) : Optional.empty();
            if (scope.isPresent()) {
                allowOrigin = Cors.allowOrigin(origin.get(), scope.get().appOrigins(), scope.get().stackOrigins());
                if (allowOrigin.isEmpty()) {
                    // Another site's page holding a widget's token: refused before the use case runs, nothing written.
                    throw Problem.withDetails(Reason.ORIGIN_NOT_ALLOWED, java.util.Map.of("origin", origin.get())).reject();
                }
            }
            response = handle(request);
        } catch (Rejection rejection) {
            outcome = "rejected";
            failure = rejection.problem();
            response = render(failure, requestId);
        } catch (RuntimeException | Error unexpected) {
            Optional<Problem> dependencyFault = DependencyFaults.classify(unexpected);
            outcome = dependencyFault.isPresent() ? "dependency_fault" : "error";
            failure = dependencyFault.orElse(Problem.of(Reason.INTERNAL_ERROR));
            // Only the exception class and first frame: messages may carry tokens or identity values.
            RequestLog.failure(requestId, unexpected);
            response = dependencyFault.isPresent() ? render(failure, requestId)
                    : Responses.problem(failureFamily(), failure, requestId);
        } finally {
            RequestDeadline.end();
        }
        if (allowOrigin.isPresent()) {
            withCors(response, allowOrigin.get());
        }
        long[] dynamo = DynamoDbTiming.end();
        RequestLog.request(requestId, context == null ? null : context.getAwsRequestId(), event, response.getStatusCode(), outcome,
                failure == null ? null : failure.reason().name(), (System.nanoTime() - started) / 1_000_000, dynamo[0], dynamo[1]);
        return response;
    }

    private APIGatewayV2HTTPResponse render(Problem problem, String requestId) {
        return decorate(withRetryAfter(Responses.problem(failureFamily(problem), problem, requestId), problem), problem);
    }

    /** Routes that add headers to a failure (405's Allow) override this. */
    protected APIGatewayV2HTTPResponse decorate(APIGatewayV2HTTPResponse response, Problem problem) {
        return response;
    }

    private static void withCors(APIGatewayV2HTTPResponse response, String allowOrigin) {
        java.util.Map<String, String> headers = new java.util.HashMap<>(response.getHeaders() == null ? java.util.Map.of() : response.getHeaders());
        headers.put("access-control-allow-origin", allowOrigin);
        headers.put("access-control-expose-headers", "retry-after, www-authenticate");
        if (!allowOrigin.equals("*")) {
            headers.put("vary", "Origin");
        }
        response.setHeaders(headers);
    }

    /** A 429 or 503 tells the client when to try again. */
    private static APIGatewayV2HTTPResponse withRetryAfter(APIGatewayV2HTTPResponse response, Problem problem) {
        Object retryAfter = problem.details().get("retryAfterSeconds");
        if (retryAfter == null) {
            return response;
        }
        java.util.Map<String, String> headers = new java.util.HashMap<>(response.getHeaders());
        headers.put("retry-after", String.valueOf(retryAfter));
        response.setHeaders(headers);
        return response;
    }

}
