package io.userhub.shared.http;

import io.userhub.shared.json.Json;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

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
            body.set("details", Json.MAPPER.valueToTree(withSnakeCaseNames(problem.details())));
        }
        body.put("request_id", requestId);
        APIGatewayV2HTTPResponse response = json(problem.reason().httpStatus(), Json.write(body));
        wwwAuthenticate(problem.reason()).ifPresent(challenge -> {
            Map<String, String> headers = new HashMap<>(response.getHeaders());
            headers.put("www-authenticate", challenge);
            response.setHeaders(headers);
        });
        return response;
    }

    /**
     * Every field is named in snake_case. A detail first named in camelCase (Helpshift Web Chat's
     * {@code receivedTotalKeys}, {@code missingFields}, ... and the early {@code retryAfterSeconds})
     * is sent under both names, the camelCase one a documented alias for clients written against it.
     */
    public static Map<String, Object> withSnakeCaseNames(Map<String, Object> fields) {
        Map<String, Object> named = new TreeMap<>();
        fields.forEach((name, value) -> {
            named.put(snakeCase(name), value);
            named.put(name, value);
        });
        return named;
    }

    public static String snakeCase(String name) {
        StringBuilder snake = new StringBuilder(name.length() + 4);
        for (char c : name.toCharArray()) {
            if (Character.isUpperCase(c)) {
                snake.append('_').append(Character.toLowerCase(c));
            } else {
                snake.append(c);
            }
        }
        return snake.toString();
    }

    /**
     * RFC 9110 asks a 401 for a challenge. RFC 6750's {@code invalid_token} only where the bearer
     * credential itself was refused (a session token); a bare challenge otherwise (a missing or
     * wrong API key, or a login whose identity token, sent in the body, was refused).
     */
    static Optional<String> wwwAuthenticate(Reason reason) {
        if (reason == Reason.SESSION_EXPIRED || reason == Reason.SESSION_INVALID) {
            return Optional.of("Bearer realm=\"userhub\", error=\"invalid_token\", error_description=\"" + reason.name() + "\"");
        }
        return reason.httpStatus() == 401 ? Optional.of("Bearer realm=\"userhub\"") : Optional.empty();
    }

    private static boolean isRequestLevel(Reason reason) {
        return switch (reason) {
            case MALFORMED_JSON, FIELD_INVALID, UNSUPPORTED_MEDIA_TYPE, BODY_TOO_LARGE,
                 ROUTE_NOT_FOUND, METHOD_NOT_ALLOWED -> true;
            default -> false;
        };
    }
}
