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

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The common edge of every HTTP handler: an expected {@link Rejection} becomes the spec's error
 * shape; anything else becomes a 500 {@code INTERNAL_ERROR} that leaks no exception text. Only
 * the exception class is logged: messages may carry tokens or identity values.
 */
public abstract class ApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private static final Logger LOG = Logger.getLogger(ApiHandler.class.getName());

    /** The API failure family this route reports, e.g. {@code LOGIN_FAILED}. */
    protected abstract String failureFamily();

    /** Routes whose family depends on the problem (global vs app attribute updates) override this. */
    protected String failureFamily(Problem problem) {
        return failureFamily();
    }

    protected abstract APIGatewayV2HTTPResponse handle(HttpRequest request);

    @Override
    public final APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String requestId = event != null && event.getRequestContext() != null && event.getRequestContext().getRequestId() != null
                ? event.getRequestContext().getRequestId() : UUID.randomUUID().toString();
        RequestDeadline.begin(context == null ? RequestDeadline.DEFAULT_REMAINING
                : Duration.ofMillis(context.getRemainingTimeInMillis()));
        try {
            if (event == null) {
                throw Problem.of(Reason.MALFORMED_JSON).reject();
            }
            return handle(HttpRequest.from(event));
        } catch (Rejection rejection) {
            return render(rejection.problem(), requestId);
        } catch (RuntimeException | Error unexpected) {
            Optional<Problem> dependencyFault = DependencyFaults.classify(unexpected);
            LOG.log(dependencyFault.isPresent() ? Level.WARNING : Level.SEVERE, "request " + requestId + " failed with "
                    + unexpected.getClass().getName() + " at " + firstFrame(unexpected));
            return dependencyFault.map(problem -> render(problem, requestId))
                    .orElseGet(() -> Responses.problem(failureFamily(), Problem.of(Reason.INTERNAL_ERROR), requestId));
        } finally {
            RequestDeadline.end();
        }
    }

    private APIGatewayV2HTTPResponse render(Problem problem, String requestId) {
        return decorate(withRetryAfter(Responses.problem(failureFamily(problem), problem, requestId), problem), problem);
    }

    /** Routes that add headers to a failure (405's Allow) override this. */
    protected APIGatewayV2HTTPResponse decorate(APIGatewayV2HTTPResponse response, Problem problem) {
        return response;
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

    private static String firstFrame(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
        return trace.length == 0 ? "?" : trace[0].toString();
    }
}
