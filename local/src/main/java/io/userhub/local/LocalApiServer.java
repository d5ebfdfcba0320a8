package io.userhub.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.userhub.shared.http.Responses;
import io.userhub.shared.validation.Limits;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * A Docker-free stand-in for API Gateway: turns each HTTP request into a payload-2.0 event,
 * invokes the handler the template routes it to, and writes the handler's response back.
 * Listens on 127.0.0.1 only.
 */
public final class LocalApiServer implements AutoCloseable {
    /** API Gateway refuses payloads over 10 MB before any function runs; so do we. */
    private static final int GATEWAY_BODY_LIMIT = 10 * 1024 * 1024;

    private final HttpServer server;
    private final ExecutorService workers;
    private final RouteTable routes;
    private final Consumer<String> log;

    private final Map<String, List<String>> cors;

    /** A document the local server serves itself (the OpenAPI document, the demo page, the web client). */
    public record Page(String contentType, java.util.function.Supplier<byte[]> content) {}

    private final Map<String, Page> pages;

    LocalApiServer(RouteTable routes, Map<String, List<String>> cors, int port, Consumer<String> log) throws IOException {
        this(routes, cors, port, log, Map.of());
    }

    LocalApiServer(RouteTable routes, Map<String, List<String>> cors, int port, Consumer<String> log, Map<String, Page> pages) throws IOException {
        this.pages = Map.copyOf(pages);
        this.routes = routes;
        this.cors = cors;
        this.log = log;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        this.workers = Executors.newFixedThreadPool(16);
        server.setExecutor(workers);
        server.createContext("/", this::serve);
    }

    public void start() {
        server.start();
    }

    /** A path the local server answers itself (the demo's webhook inbox), beside the API. */
    void addContext(String path, com.sun.net.httpserver.HttpHandler handler) {
        server.createContext(path, handler);
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        URI uri = exchange.getRequestURI();
        String path = uri.getRawPath();
        String requestId = UUID.randomUUID().toString();
        APIGatewayV2HTTPResponse response;
        String routeKey = "-";
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        Page page = pages.get(path);
        if (page != null && method.equals("GET")) {
            byte[] content = page.content().get();
            exchange.getResponseHeaders().set("Content-Type", page.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, content.length);
            try (var out = exchange.getResponseBody()) {
                out.write(content);
            }
            logLocally(method, path, 200, started, "local page");
            return;
        }
        if (!cors.isEmpty() && method.equals("OPTIONS") && origin != null
                && exchange.getRequestHeaders().containsKey("Access-Control-Request-Method")) {
            preflight(exchange, origin);
            logLocally("OPTIONS", path, 204, started, "CORS preflight");
            return;
        }
        try {
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                response = Responses.problem("REQUEST_INVALID", Problem.withDetails(Reason.BODY_TOO_LARGE,
                        Map.of("maxBytes", Limits.REQUEST_BODY_BYTES_MAX)), requestId);
            } else {
                var match = routes.match(method, path);
                if (match.isEmpty()) {
                    response = Responses.problem("REQUEST_INVALID", Problem.of(Reason.ROUTE_NOT_FOUND), requestId);
                } else {
                    routeKey = match.get().route().routeKey();
                    APIGatewayV2HTTPEvent event = toEvent(exchange, method, uri, match.get(), body, requestId);
                    RouteTable.Route route = match.get().route();
                    response = route.handler().handleRequest(event,
                            io.userhub.devkit.LambdaContext.withRemaining(route.functionId(), java.time.Duration.ofSeconds(route.timeoutSeconds())));
                }
            }
        } catch (RuntimeException e) {
            response = Responses.problem("REQUEST_INVALID", Problem.of(Reason.INTERNAL_ERROR), requestId);
        }
        if (origin != null && allowsOrigin(origin)) {
            exchange.getResponseHeaders().set("Access-Control-Allow-Origin", cors.get("AllowOrigins").contains("*") ? "*" : origin);
        }
        write(exchange, response);
        if (routeKey.equals("-")) {
            // Routed requests were logged by their handler, in the same JSON line as on Lambda.
            logLocally(method, path, response.getStatusCode(), started, "not routed to a function");
        }
    }

    /** What API Gateway itself answers (preflight, unknown routes): a JSON line like the handlers'. */
    private void logLocally(String method, String path, int status, long started, String what) {
        var line = io.userhub.shared.observability.JsonLog.line("INFO", what);
        line.put("method", method).put("path", path).put("status", status)
                .put("latency_ms", (System.nanoTime() - started) / 1_000_000);
        log.accept(io.userhub.shared.json.Json.write(line));
    }

    private boolean allowsOrigin(String origin) {
        List<String> origins = cors.getOrDefault("AllowOrigins", List.of());
        return origins.contains("*") || origins.contains(origin);
    }

    /** Answers a browser's preflight as the HTTP API's CorsConfiguration does. */
    private void preflight(HttpExchange exchange, String origin) throws IOException {
        if (allowsOrigin(origin)) {
            var headers = exchange.getResponseHeaders();
            headers.set("Access-Control-Allow-Origin", cors.get("AllowOrigins").contains("*") ? "*" : origin);
            headers.set("Access-Control-Allow-Methods", String.join(",", cors.getOrDefault("AllowMethods", List.of())));
            headers.set("Access-Control-Allow-Headers", String.join(",", cors.getOrDefault("AllowHeaders", List.of())));
            cors.getOrDefault("MaxAge", List.of()).forEach(maxAge -> headers.set("Access-Control-Max-Age", maxAge));
        }
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(GATEWAY_BODY_LIMIT + 1);
        return bytes.length > GATEWAY_BODY_LIMIT ? null : bytes;
    }

    static APIGatewayV2HTTPEvent toEvent(HttpExchange exchange, String method, URI uri, RouteTable.Match match,
                                         byte[] body, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        Map<String, String> query = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.merge(key, value, (a, b) -> a + "," + b);
            }
        }
        boolean text = isText(headers.get("content-type"));
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(match.route().routeKey())
                .withRawPath(uri.getRawPath())
                .withRawQueryString(uri.getRawQuery() == null ? "" : uri.getRawQuery())
                .withHeaders(headers)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withPathParameters(match.pathParameters().isEmpty() ? null : match.pathParameters())
                .withBody(body.length == 0 ? null : text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body.length > 0 && !text)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId(requestId)
                        .withRouteKey(match.route().routeKey())
                        .withStage("$default")
                        .withTimeEpoch(System.currentTimeMillis())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method)
                                .withPath(uri.getRawPath())
                                .withProtocol("HTTP/1.1")
                                .withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress())
                                .withUserAgent(headers.getOrDefault("user-agent", ""))
                                .build())
                        .build())
                .build();
    }

    /** API Gateway passes JSON and text bodies as text, anything else base64-encoded. */
    private static boolean isText(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("application/json") || type.startsWith("text/") || type.contains("+json");
    }

    private static void write(HttpExchange exchange, APIGatewayV2HTTPResponse response) throws IOException {
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        }
        byte[] bytes = response.getBody() == null ? new byte[0]
                : response.getIsBase64Encoded() ? Base64.getDecoder().decode(response.getBody())
                : response.getBody().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(response.getStatusCode(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

}
