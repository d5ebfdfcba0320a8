package io.userhub.functions.console;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.userhub.shared.http.ApiHandler;
import io.userhub.shared.http.HttpRequest;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The support console: one page and its script and style, served from the functions' jar on the
 * API's own origin, so the page calls the server routes with no CORS and no third-party host.
 * Touches no table and holds no secret: the operator signs in with an app's API key, which the
 * page keeps in the tab's sessionStorage only and sends as the server routes' bearer.
 */
public final class ConsoleHandler extends ApiHandler {

    /** File name to content type; nothing else is served. */
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            "console.css", "text/css; charset=utf-8");

    /**
     * The page runs only its own script and style and talks only to its own origin; no frame may
     * hold it (an API key is typed into it).
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final Map<String, String> contents = new ConcurrentHashMap<>();

    @Override
    protected String failureFamily() {
        return "REQUEST_INVALID";
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
        String file = request.optionalPathParameter("file").orElse("index.html");
        String type = FILES.get(file);
        if (type == null) {
            throw Problem.of(Reason.ROUTE_NOT_FOUND).reject();
        }
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(200)
                .withHeaders(Map.of(
                        "content-type", type,
                        "cache-control", "no-cache",
                        "content-security-policy", CONTENT_SECURITY_POLICY,
                        "x-content-type-options", "nosniff",
                        "x-frame-options", "DENY",
                        "referrer-policy", "no-referrer"))
                .withBody(contents.computeIfAbsent(file, ConsoleHandler::read))
                .withIsBase64Encoded(false)
                .build();
    }

    private static String read(String file) {
        try (InputStream in = ConsoleHandler.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("console file missing from the jar: " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
