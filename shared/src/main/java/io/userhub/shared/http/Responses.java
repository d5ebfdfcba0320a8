package io.userhub.shared.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;

import java.util.Map;

/** Renders successes and the error shape of SPEC section 2. */
public final class Responses {
    private Responses() {}

    /** no-store: answers carry session tokens and profiles; nosniff: a browser never reads them as anything but JSON. */
    private static final Map<String, String> JSON_HEADERS = Map.of(
            "content-type", "application/json",
            "cache-control", "no-store",
            "x-content-type-options", "nosniff");

    public static APIGatewayV2HTTPResponse ok(Object body) {
        return json(200, Json.write(body));
    }

    public static APIGatewayV2HTTPResponse json(int status, String body) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(JSON_HEADERS)
                .withBody(body)
                .withIsBase64Encoded(false)
                .build();
    }

    /**
     * {@code {"error", "reason", "errors"?, "details"?, "request_id"}}. Errors from the HTTP layer
     * (malformed JSON, media type, size, route) belong to the REQUEST_INVALID family whatever the route.
     */
    public static APIGatewayV2HTTPResponse problem(String family, Problem problem, String requestId) {
        ObjectNode body = Json.object();
        body.put("error", isRequestLevel(problem.reason()) ? "REQUEST_INVALID" : family);
        body.put("reason", problem.reason().name());
        if (!problem.errors().isEmpty()) {
            body.set("errors", Json.MAPPER.valueToTree(problem.errors()));
        }
        if (!problem.details().isEmpty()) {
            body.set("details", Json.MAPPER.valueToTree(problem.details()));
        }
        body.put("request_id", requestId);
        return json(problem.reason().httpStatus(), Json.write(body));
    }

    private static boolean isRequestLevel(Reason reason) {
        return switch (reason) {
            case MALFORMED_JSON, FIELD_INVALID, UNSUPPORTED_MEDIA_TYPE, BODY_TOO_LARGE,
                 ROUTE_NOT_FOUND, METHOD_NOT_ALLOWED -> true;
            default -> false;
        };
    }
}
