package io.userhub.functions.webhooks;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.functions.UseCases;
import io.userhub.functions.users.UserRoutes;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.http.ApiHandler;
import io.userhub.shared.http.HttpRequest;
import io.userhub.shared.http.Responses;
import io.userhub.shared.json.Json;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.port.DeliveryQueue;
import io.userhub.shared.validation.ErrorCode;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.webhook.DeliveryRecord;
import io.userhub.shared.webhook.EndpointRules;
import io.userhub.shared.webhook.WebhookEndpoint;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The webhook routes of the customer's backend ({@code /v1/apps/{appId}/webhooks...}), with the
 * API key or a scope:app token as the user routes take them: endpoints (add, list, read, change,
 * rotate the secret, remove), an endpoint's deliveries, resend one, replay a time window. Two
 * functions of the template share this class, four routes each (each function's 5xx alarm reads
 * its routes' metrics, at most ten to an alarm).
 */
public final class WebhooksHandler extends ApiHandler {
    private final UserRoutes routes;
    private final WebhookEndpointsUseCase webhooks;

    public WebhooksHandler() {
        this(Wiring.lambda(), Wiring.lambdaDeliveryQueue(), false);
    }

    /** The local server's: resends and replays go to its engine, and loopback endpoints are allowed. */
    public WebhooksHandler(Wiring wiring, DeliveryQueue queue, boolean localUse) {
        this.routes = new UserRoutes(wiring);
        this.webhooks = UseCases.of(wiring).webhookEndpoints(queue, localUse);
    }

    @Override
    protected String failureFamily() {
        return "WEBHOOKS_FAILED";
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
        AppConfig app = routes.authenticate(request);
        Optional<String> endpointId = request.optionalPathParameter("endpointId");
        String method = request.method();
        String path = request.path();
        if (endpointId.isEmpty()) {
            if (method.equals("POST")) {
                ObjectNode body = request.jsonBody();
                WebhookEndpointsUseCase.Created created = webhooks.create(app, text(body, "url").orElse(null),
                        strings(body, "event_types").orElse(null), flag(body, "enabled").orElse(null), text(body, "description").orElse(null));
                ObjectNode rendered = render(created.endpoint());
                rendered.put("secret", created.secret());
                return Responses.ok(rendered);
            }
            ArrayNode list = Json.MAPPER.createArrayNode();
            webhooks.list(app).forEach(endpoint -> list.add(render(endpoint)));
            ObjectNode body = Json.object();
            body.set("endpoints", list);
            return Responses.ok(body);
        }
        String id = endpointId.get();
        if (path.endsWith("/secret")) {
            ObjectNode body = request.body() == null || request.body().length == 0 ? Json.object() : request.jsonBody();
            WebhookEndpointsUseCase.Rotated rotated = webhooks.rotateSecret(app, id, whole(body, "overlap_hours").orElse(null));
            ObjectNode rendered = render(rotated.endpoint());
            rendered.put("secret", rotated.secret());
            rendered.put("previous_secret_retires_at", rotated.previousRetiresAt().toString());
            return Responses.ok(rendered);
        }
        if (path.endsWith("/deliveries") && method.equals("POST")) {
            return queueDeliveries(app, id, request.jsonBody());
        }
        if (path.endsWith("/deliveries")) {
            int limit = limit(request);
            ArrayNode list = Json.MAPPER.createArrayNode();
            webhooks.deliveries(app, id, limit).forEach(record -> list.add(render(record)));
            ObjectNode body = Json.object().put("endpoint_id", id);
            body.set("deliveries", list);
            return Responses.ok(body);
        }
        return switch (method) {
            case "PATCH" -> {
                ObjectNode body = request.jsonBody();
                yield Responses.ok(render(webhooks.update(app, id, new WebhookEndpointsUseCase.Changes(text(body, "url"),
                        strings(body, "event_types"), flag(body, "enabled"), text(body, "description")))));
            }
            case "DELETE" -> {
                webhooks.delete(app, id);
                yield Responses.ok(Json.object().put("id", id).put("deleted", true));
            }
            default -> Responses.ok(render(webhooks.get(app, id)));
        };
    }

    /** {@code {"delivery_id"}} resends one delivery; {@code {"since", "until"}} replays a window. */
    private APIGatewayV2HTTPResponse queueDeliveries(AppConfig app, String id, ObjectNode body) {
        Optional<String> deliveryId = text(body, "delivery_id");
        Optional<Instant> since = instant(body, "since");
        Optional<Instant> until = instant(body, "until");
        if (deliveryId.isPresent() == since.isPresent() || (deliveryId.isPresent() && until.isPresent())) {
            throw Problem.field(deliveryId.isPresent() ? "since" : "delivery_id", deliveryId.isPresent() ? ErrorCode.INVALID_VALUE
                    : ErrorCode.MISSING).reject();
        }
        if (deliveryId.isPresent()) {
            ObjectNode answer = render(webhooks.resend(app, id, deliveryId.get()));
            answer.put("queued", 1);
            return Responses.ok(answer);
        }
        WebhookEndpointsUseCase.Replayed replayed = webhooks.replay(app, id, since.get(), until.orElse(null));
        ObjectNode answer = Json.object().put("endpoint_id", id).put("queued", replayed.events());
        answer.put("next_since", replayed.nextSince().map(Instant::toString).orElse(null));
        return Responses.ok(answer);
    }

    /** An endpoint as the routes and the operator show it: never its secret. */
    public static ObjectNode render(WebhookEndpoint endpoint) {
        ObjectNode node = Json.object().put("id", endpoint.id()).put("url", endpoint.url());
        ArrayNode types = node.putArray("event_types");
        endpoint.eventTypes().stream().sorted().forEach(types::add);
        node.put("enabled", endpoint.enabled()).put("description", endpoint.description())
                .put("created_at", endpoint.createdAt().toString())
                .put("failing_since", endpoint.failingSince() == null ? null : endpoint.failingSince().toString())
                .put("disabled_reason", endpoint.disabledReason());
        return node;
    }

    public static ObjectNode render(DeliveryRecord record) {
        return Json.object().put("id", record.id()).put("event_id", record.eventId()).put("event_type", record.eventType())
                .put("event_at", record.eventAt().toString()).put("status", record.status()).put("attempts", record.attempts())
                .put("last_status", record.lastStatus()).put("last_error", record.lastError() == null || record.lastError().isEmpty()
                        ? null : record.lastError())
                .put("response_start", record.responseStart())
                .put("last_attempt_at", record.lastAttemptAt().toString())
                .put("next_attempt_at", record.nextAttemptAt() == null ? null : record.nextAttemptAt().toString());
    }

    private static int limit(HttpRequest request) {
        String limit = request.queryParameters() == null ? null : request.queryParameters().get("limit");
        if (limit == null) {
            return EndpointRules.DEFAULT_LISTED_DELIVERIES;
        }
        try {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= EndpointRules.MAX_LISTED_DELIVERIES) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // refused below
        }
        throw Problem.field("limit", ErrorCode.INVALID_VALUE).reject();
    }

    private static Optional<String> text(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw Problem.field(field, ErrorCode.INVALID_VALUE_TYPE).reject();
        }
        return Optional.of(value.asText());
    }

    private static Optional<Boolean> flag(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw Problem.field(field, ErrorCode.INVALID_VALUE_TYPE).reject();
        }
        return Optional.of(value.asBoolean());
    }

    private static Optional<Long> whole(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber()) {
            throw Problem.field(field, ErrorCode.INVALID_VALUE_TYPE).reject();
        }
        return Optional.of(value.asLong());
    }

    private static Optional<List<String>> strings(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isArray() || value.size() > 50) {
            throw Problem.field(field, ErrorCode.INVALID_VALUE_TYPE).reject();
        }
        List<String> strings = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw Problem.field(field, ErrorCode.INVALID_VALUE_TYPE).reject();
            }
            strings.add(item.asText());
        }
        return Optional.of(strings);
    }

    private static Optional<Instant> instant(ObjectNode body, String field) {
        Optional<String> text = text(body, field);
        try {
            return text.map(Instant::parse);
        } catch (DateTimeParseException unreadable) {
            throw Problem.field(field, ErrorCode.INVALID_VALUE).reject();
        }
    }
}
