package io.userhub.functions.fallback;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.userhub.shared.http.ApiHandler;
import io.userhub.shared.http.HttpRequest;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The HTTP API's {@code $default} route: an unknown route answers in the spec's error shape
 * instead of API Gateway's bare {"message":"Not Found"}, a known path with another method gets
 * 405 with the methods it takes, and a browser's CORS preflight (an OPTIONS no route takes) lets
 * any origin ask: the actual request's answer then says, per app, whether the page may call it
 * and read it. Needs no AWS client.
 */
public final class NotFoundHandler extends ApiHandler {
    private final java.util.Set<String> corsOrigins;

    public NotFoundHandler() {
        this(io.userhub.shared.config.Wiring.lambdaCorsAllowOrigins());
    }

    public NotFoundHandler(java.util.Set<String> corsOrigins) {
        this.corsOrigins = corsOrigins;
    }

    /** The routes template.yaml declares; TemplateTest keeps the two in step. */
    public static final List<String> KNOWN_ROUTES = List.of(
            "POST /v1/apps/{appId}/login",
            "POST /v1/apps/{appId}/tokens",
            "POST /v1/identities",
            "POST /v1/attributes",
            "POST /v1/logout",
            "GET /v1/session",
            "GET /v1/apps/{appId}/users",
            "DELETE /v1/apps/{appId}/users/{userId}",
            "POST /v1/apps/{appId}/users/{userId}/logout",
            "POST /v1/apps/{appId}/sessions:revoke",
            "GET /v1/apps/{appId}/users/{userId}/export",
            "GET /v1/apps/{appId}/users/{userId}/audit",
            "GET /v1/apps/{appId}/audit",
            "POST /v1/apps/{appId}/rules:dry-run",
            "POST /v1/apps/{appId}/users/{userId}/unmerge",
            "POST /v1/apps/{appId}/users/import",
            "GET /console",
            "GET /console/{file}",
            "GET /v1/apps/{appId}/webhooks",
            "POST /v1/apps/{appId}/webhooks",
            "GET /v1/apps/{appId}/webhooks/{endpointId}",
            "PATCH /v1/apps/{appId}/webhooks/{endpointId}",
            "DELETE /v1/apps/{appId}/webhooks/{endpointId}",
            "POST /v1/apps/{appId}/webhooks/{endpointId}/secret",
            "GET /v1/apps/{appId}/webhooks/{endpointId}/deliveries",
            "POST /v1/apps/{appId}/webhooks/{endpointId}/deliveries");

    @Override
    protected String failureFamily() {
        return "REQUEST_INVALID";
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
        java.util.Optional<String> origin = request.header("origin");
        if (request.method().equals("OPTIONS") && origin.isPresent() && request.header("access-control-request-method").isPresent()) {
            return preflight(origin.get());
        }
        TreeSet<String> allowed = new TreeSet<>();
        for (String route : KNOWN_ROUTES) {
            String[] methodAndPath = route.split(" ", 2);
            if (Pattern.matches(methodAndPath[1].replaceAll("\\{[^}]+}", "[^/]+"), request.path())) {
                allowed.add(methodAndPath[0]);
            }
        }
        if (allowed.isEmpty() || allowed.contains(request.method())) {
            throw Problem.of(Reason.ROUTE_NOT_FOUND).reject();
        }
        throw Problem.withDetails(Reason.METHOD_NOT_ALLOWED, Map.of("allowed", List.copyOf(allowed))).reject();
    }

    private APIGatewayV2HTTPResponse preflight(String origin) {
        // A preflight grants nothing by itself: it cannot tell the app (the path or the token names it
        // only on the request that follows), so it lets any origin ask, and the request's own answer
        // (403 ORIGIN_NOT_ALLOWED, no CORS header) refuses a page the app does not list.
        Map<String, String> headers = new HashMap<>();
        String allowOrigin = corsOrigins.contains("*") ? "*" : origin;
        headers.put("access-control-allow-origin", allowOrigin);
        headers.put("access-control-allow-methods", io.userhub.shared.http.Cors.ALLOW_METHODS);
        headers.put("access-control-allow-headers", io.userhub.shared.http.Cors.ALLOW_HEADERS);
        headers.put("access-control-max-age", io.userhub.shared.http.Cors.MAX_AGE_SECONDS);
        if (!allowOrigin.equals("*")) {
            headers.put("vary", "Origin");
        }
        return APIGatewayV2HTTPResponse.builder().withStatusCode(204).withHeaders(headers).withIsBase64Encoded(false).build();
    }

    @Override
    protected APIGatewayV2HTTPResponse decorate(APIGatewayV2HTTPResponse response, Problem problem) {
        if (problem.reason() == Reason.METHOD_NOT_ALLOWED) {
            Map<String, String> headers = new HashMap<>(response.getHeaders());
            headers.put("allow", String.join(", ", (List<String>) problem.details().get("allowed")));
            response.setHeaders(headers);
        }
        return response;
    }
}
