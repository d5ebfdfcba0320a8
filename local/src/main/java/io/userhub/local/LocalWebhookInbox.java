package io.userhub.local;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.userhub.shared.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A webhook receiver inside the local server, for the demo page: {@code POST /local/webhook-inbox}
 * keeps the last 100 deliveries (headers and body, as received: the page verifies their
 * signatures with the endpoint's secret), {@code GET} lists them, newest first.
 */
final class LocalWebhookInbox {
    static final String PATH = "/local/webhook-inbox";
    private static final int KEPT = 100;
    private static final int MAX_BODY = 64 * 1024;

    private final Deque<ObjectNode> received = new ArrayDeque<>();

    void handle(HttpExchange exchange) throws IOException {
        if (exchange.getRequestMethod().equals("POST")) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY);
            }
            ObjectNode delivery = Json.object().put("received_at", Instant.now().toString())
                    .put("webhook_id", exchange.getRequestHeaders().getFirst("webhook-id"))
                    .put("webhook_timestamp", exchange.getRequestHeaders().getFirst("webhook-timestamp"))
                    .put("webhook_signature", exchange.getRequestHeaders().getFirst("webhook-signature"))
                    .put("body", new String(body, StandardCharsets.UTF_8));
            synchronized (received) {
                received.addFirst(delivery);
                while (received.size() > KEPT) {
                    received.removeLast();
                }
            }
            reply(exchange, 204, new byte[0]);
            return;
        }
        ArrayNode list = Json.MAPPER.createArrayNode();
        synchronized (received) {
            received.forEach(list::add);
        }
        ObjectNode answer = Json.object();
        answer.set("deliveries", list);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        reply(exchange, 200, Json.write(answer).getBytes(StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, status == 204 ? -1 : body.length);
        if (status != 204) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }
}
