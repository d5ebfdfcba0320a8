package io.userhub.shared.http;

import io.userhub.shared.json.Json;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.validation.Limits;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** What a handler needs of an API Gateway payload-2.0 event, with header names lower-cased. */
public record HttpRequest(
        String method,
        String path,
        Map<String, String> headers,
        Map<String, String> pathParameters,
        Map<String, String> queryParameters,
        byte[] body,
        String requestId,
        String sourceIp) {

    public HttpRequest(String method, String path, Map<String, String> headers, Map<String, String> pathParameters,
                       Map<String, String> queryParameters, byte[] body, String requestId) {
        this(method, path, headers, pathParameters, queryParameters, body, requestId, null);
    }

    public static HttpRequest from(APIGatewayV2HTTPEvent event) {
        Map<String, String> headers = new HashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        }
        String method = "GET";
        String path = event.getRawPath();
        String requestId = null;
        String sourceIp = null;
        if (event.getRequestContext() != null) {
            requestId = event.getRequestContext().getRequestId();
            if (event.getRequestContext().getHttp() != null) {
                // API Gateway's own view of the caller's address (the TCP peer), never an X-Forwarded-For
                // a client could write. Behind CloudFront it is an edge's address (docs/operations.md).
                sourceIp = event.getRequestContext().getHttp().getSourceIp();
                method = event.getRequestContext().getHttp().getMethod();
                if (path == null) {
                    path = event.getRequestContext().getHttp().getPath();
                }
            }
        }
        byte[] body = new byte[0];
        if (event.getBody() != null) {
            body = event.getIsBase64Encoded()
                    ? decodeBase64(event.getBody())
                    : event.getBody().getBytes(StandardCharsets.UTF_8);
        }
        return new HttpRequest(
                method == null ? "GET" : method.toUpperCase(Locale.ROOT),
                path == null ? "/" : path,
                headers,
                event.getPathParameters() == null ? Map.of() : Map.copyOf(event.getPathParameters()),
                event.getQueryStringParameters() == null ? Map.of() : Map.copyOf(event.getQueryStringParameters()),
                body,
                requestId == null || requestId.isBlank() ? UUID.randomUUID().toString() : requestId,
                sourceIp == null || sourceIp.isBlank() ? null : sourceIp);
    }

    private static byte[] decodeBase64(String body) {
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw Problem.of(Reason.MALFORMED_JSON).reject();
        }
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    public String pathParameter(String name) {
        String value = pathParameters.get(name);
        if (value == null || value.isBlank()) {
            throw Problem.of(Reason.ROUTE_NOT_FOUND).reject();
        }
        return value;
    }

    /** A path parameter that only some of a handler's routes have. */
    public Optional<String> optionalPathParameter(String name) {
        return Optional.ofNullable(pathParameters.get(name)).filter(v -> !v.isBlank());
    }

    /** The bearer credential of the Authorization header, if any. */
    public Optional<String> bearer() {
        return header("authorization")
                .map(String::trim)
                .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(v -> v.substring(7).trim())
                .filter(v -> !v.isEmpty());
    }

    /** A text body of the given media type (e.g. text/csv), at most {@code maxBytes}. */
    public String textBody(String mediaType, int maxBytes, Reason tooLarge) {
        if (body.length > maxBytes) {
            throw Problem.withDetails(tooLarge, Map.of("maxBytes", maxBytes, "receivedBytes", body.length)).reject();
        }
        String contentType = header("content-type").orElse("").toLowerCase(Locale.ROOT).trim();
        if (!(contentType.equals(mediaType) || contentType.startsWith(mediaType + ";"))) {
            throw Problem.withDetails(Reason.UNSUPPORTED_MEDIA_TYPE, Map.of("expected", mediaType)).reject();
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The body as a JSON object: 413 when oversized, 415 when not declared as JSON, 400 when
     * not exactly one JSON object. Checked before any use case runs, so nothing is written.
     */
    public ObjectNode jsonBody() {
        if (body.length > Limits.REQUEST_BODY_BYTES_MAX) {
            throw Problem.withDetails(Reason.BODY_TOO_LARGE,
                    Map.of("maxBytes", Limits.REQUEST_BODY_BYTES_MAX, "receivedBytes", body.length)).reject();
        }
        String contentType = header("content-type").orElse("").toLowerCase(Locale.ROOT).trim();
        if (!(contentType.equals("application/json") || contentType.startsWith("application/json;"))) {
            throw Problem.withDetails(Reason.UNSUPPORTED_MEDIA_TYPE, Map.of("expected", "application/json")).reject();
        }
        return Json.parseObject(body).orElseThrow(() -> Problem.of(Reason.MALFORMED_JSON).reject());
    }
}
