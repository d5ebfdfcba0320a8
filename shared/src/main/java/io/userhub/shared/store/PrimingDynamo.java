package io.userhub.shared.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.userhub.shared.http.Json;
import io.userhub.shared.model.AppConfig;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for DynamoDB on 127.0.0.1, for the SnapStart priming only: it answers the calls of
 * a login the way DynamoDB would for one app (the priming app, whose item it serves), so that the
 * handler's real path (HTTP client, signing, marshalling, the store's parsing) runs before the
 * snapshot without a single request reaching the function's real tables. Writes are acknowledged
 * and forgotten; after the first transaction, reads answer as for a returning user, so a second
 * login walks the returning path (claims, device, previous session).
 */
public final class PrimingDynamo implements AutoCloseable {
    private final HttpServer server;
    private final ObjectNode appItem;
    private final String appKey;
    private final AtomicBoolean returning = new AtomicBoolean();
    private final AtomicInteger calls = new AtomicInteger();

    private PrimingDynamo(HttpServer server, AppConfig app) {
        this.server = server;
        this.appItem = wire(AppStore.configItem(app));
        this.appKey = AppStore.appKey(app.appId());
    }

    public static PrimingDynamo start(AppConfig app) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            PrimingDynamo dynamo = new PrimingDynamo(server, app);
            server.createContext("/", dynamo::answer);
            server.start();
            return dynamo;
        } catch (IOException e) {
            throw new IllegalStateException("the priming stand-in cannot listen on 127.0.0.1", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** How many DynamoDB calls it answered. */
    public int calls() {
        return calls.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
        JsonNode request;
        try (InputStream in = exchange.getRequestBody()) {
            request = Json.MAPPER.readTree(in);
        }
        ObjectNode response = Json.object();
        String operation = target.substring(target.indexOf('.') + 1);
        switch (operation) {
            case "GetItem" -> {
                if (appKey.equals(request.at("/Key/pk/S").asText())) {
                    response.set("Item", appItem);
                }
            }
            case "BatchGetItem" -> {
                ObjectNode responses = response.putObject("Responses");
                for (Iterator<Map.Entry<String, JsonNode>> tables = request.path("RequestItems").fields(); tables.hasNext(); ) {
                    Map.Entry<String, JsonNode> table = tables.next();
                    ArrayNode items = responses.putArray(table.getKey());
                    if (returning.get()) {
                        table.getValue().path("Keys").forEach(key -> items.add(returningItem(key)));
                    }
                }
                response.putObject("UnprocessedKeys");
            }
            case "TransactWriteItems" -> returning.set(true);
            case "Query" -> {
                response.putArray("Items");
                response.put("Count", 0).put("ScannedCount", 0);
            }
            default -> { }
        }
        byte[] body = Json.write(response).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
        exchange.getResponseHeaders().add("x-amzn-RequestId", "priming");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static final String PRIMING_USER = "00000000000000000000000000000000";

    /** A claim of the priming user, or the device that user logged in on, for the key asked. */
    private static ObjectNode returningItem(JsonNode key) {
        ObjectNode item = key.deepCopy();
        if (key.path("sk").isMissingNode()) {
            // The device's item, the priming user's and its anonymous user's: the anonymous login replaces its session in place.
            item.set("version", n(1));
            item.set("user_id", s(PRIMING_USER));
            item.set("anon_user_id", s(PRIMING_USER));
            return item;
        }
        switch (key.at("/sk/S").asText()) {
            case Keys.CLAIM -> {
                item.set("user_id", s(PRIMING_USER));
                item.set("asserted_at", n(0));
            }
            default -> { }
        }
        return item;
    }

    private static ObjectNode s(String value) {
        return Json.object().put("S", value);
    }

    private static ObjectNode n(long value) {
        return Json.object().put("N", Long.toString(value));
    }

    /** DynamoDB's JSON form of an item (the types the stores write). */
    static ObjectNode wire(Map<String, AttributeValue> item) {
        ObjectNode node = Json.object();
        item.forEach((name, value) -> node.set(name, wire(value)));
        return node;
    }

    private static ObjectNode wire(AttributeValue value) {
        ObjectNode node = Json.object();
        if (value.s() != null) {
            node.put("S", value.s());
        } else if (value.n() != null) {
            node.put("N", value.n());
        } else if (value.bool() != null) {
            node.put("BOOL", value.bool());
        } else if (value.hasM()) {
            node.set("M", wire(value.m()));
        } else if (value.hasL()) {
            ArrayNode list = node.putArray("L");
            List<AttributeValue> values = value.l();
            values.forEach(v -> list.add(wire(v)));
        } else if (value.hasSs()) {
            ArrayNode set = node.putArray("SS");
            value.ss().forEach(set::add);
        } else {
            node.put("NULL", true);
        }
        return node;
    }
}
