package io.userhub.shared.observability;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one line every API request leaves: request id, route, app id, status, outcome, reason,
 * latency and DynamoDB time, with the EMF metrics Requests, Latency and DynamoDbLatency by
 * {Route, Outcome} and {Route, Reason}. Logins by outcome and reason, throttles
 * (Reason=SERVICE_BUSY) and 5xx rates all come from these.
 */
public final class RequestLog {
    private RequestLog() {}

    private static final Pattern APP_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Map<String, String> UNITS = Map.of("Latency", "Milliseconds", "DynamoDbLatency", "Milliseconds",
            "Requests", "Count");

    /**
     * @param requestId    API Gateway's request id (also in the error body)
     * @param awsRequestId the Lambda invocation's id (in Lambda's own REPORT line), when on Lambda
     */
    public static void request(String requestId, String awsRequestId, APIGatewayV2HTTPEvent event, int status, String outcome,
                               String reason, long latencyMillis, long dynamoCalls, long dynamoMillis) {
        ObjectNode line = JsonLog.line(status >= 500 ? "ERROR" : "INFO", "request");
        String route = event == null || event.getRouteKey() == null ? "?" : event.getRouteKey();
        line.put("request_id", requestId);
        if (awsRequestId != null) {
            line.put("aws_request_id", awsRequestId);
        }
        line.put("Route", route);
        String appId = appIdOf(event);
        if (appId != null) {
            line.put("app_id", appId);
        }
        line.put("status", status);
        line.put("Outcome", outcome);
        line.put("Reason", reason == null ? "NONE" : reason);
        line.put("dynamodb_calls", dynamoCalls);
        Map<String, Number> metrics = new LinkedHashMap<>();
        metrics.put("Requests", 1);
        metrics.put("Latency", latencyMillis);
        metrics.put("DynamoDbLatency", dynamoMillis);
        JsonLog.emit(JsonLog.withMetrics(line, metrics, UNITS, new String[] {"Route", "Outcome"}, new String[] {"Route", "Reason"}));
    }

    /**
     * An unsigned login accepted while its app rolls signing out ({@code verification: optional}):
     * one EMF count per login, by app, so the integrator can watch it reach zero before requiring signatures.
     */
    public static void unverifiedLogin(String appId) {
        ObjectNode line = JsonLog.line("INFO", "unverified login");
        line.put("app_id", APP_ID.matcher(appId).matches() ? appId : "?");
        JsonLog.emit(JsonLog.withMetrics(line, Map.of("UnverifiedLogins", 1), Map.of("UnverifiedLogins", "Count"),
                new String[] {"app_id"}));
    }

    /** An unexpected exception: its class and first frame only (messages may carry tokens or identity values). */
    public static void failure(String requestId, Throwable thrown) {
        StackTraceElement[] trace = thrown.getStackTrace();
        ObjectNode line = JsonLog.line("ERROR", "request failed");
        line.put("request_id", requestId);
        line.put("exception", thrown.getClass().getName());
        line.put("at", trace.length == 0 ? "?" : trace[0].toString());
        JsonLog.emit(line);
    }

    /**
     * The app a request is for: the path's appId, or the prefix of a session token
     * ({@code <app>.<device digest>.<secret>}); never any other part of a credential.
     */
    static String appIdOf(APIGatewayV2HTTPEvent event) {
        if (event == null) {
            return null;
        }
        String fromPath = event.getPathParameters() == null ? null : event.getPathParameters().get("appId");
        if (fromPath != null) {
            return APP_ID.matcher(fromPath).matches() ? fromPath : null;
        }
        String authorization = event.getHeaders() == null ? null : event.getHeaders().get("authorization");
        if (authorization != null && authorization.startsWith("Bearer ")) {
            return io.userhub.shared.session.SessionTokens.appIdOf(authorization.substring(7)).orElse(null);
        }
        return null;
    }
}
