package io.userhub.shared.store;

import io.userhub.shared.crypto.SecretSeal;
import io.userhub.shared.json.Json;
import io.userhub.shared.port.Guard;
import io.userhub.shared.port.WebhookDeliveries;
import io.userhub.shared.port.WebhookEndpoints;
import io.userhub.shared.port.WebhookOutbox;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;
import io.userhub.shared.webhook.Delivery;
import io.userhub.shared.webhook.DeliveryAttempt;
import io.userhub.shared.webhook.DeliveryRecord;
import io.userhub.shared.webhook.EndpointRules;
import io.userhub.shared.webhook.WebhookEndpoint;
import io.userhub.shared.webhook.WebhookEvent;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The webhooks table: endpoints ({@code APP#<app>}, {@code ENDPOINT#<id>}) with their count
 * ({@code ENDPOINTS}), the outbox's events ({@code APP#<app>}, {@code EVENT#<millis>#<id>}, kept for
 * replay until their TTL) and each endpoint's delivery log ({@code ENDPOINT#<id>},
 * {@code DELIVERY#<millis>.<id>}). The table's stream carries every new event to the fan-out (the
 * template's filter keeps the rest out). Endpoint secrets are sealed like the apps' signing
 * secrets, under the context {@code <app>/<endpoint>}.
 */
@WritesItems({ItemType.WEBHOOK_ENDPOINT, ItemType.WEBHOOK_ENDPOINT_COUNT, ItemType.WEBHOOK_EVENT, ItemType.WEBHOOK_DELIVERY})
public final class DynamoWebhooks implements WebhookEndpoints, WebhookOutbox, WebhookDeliveries {
    private static final int UPDATE_ATTEMPTS = 5;
    private static final int KEPT_ERROR_CHARS = 200;
    private static final int KEPT_RESPONSE_CHARS = 500;

    private final DynamoDbClient dynamo;
    private final String table;
    private final SecretSeal seal;
    private final AppStore apps;

    /** @param apps the apps' writer, whose counts of wanted event types each endpoint write changes with it */
    public DynamoWebhooks(DynamoDbClient dynamo, String table, SecretSeal seal, AppStore apps) {
        this.dynamo = dynamo;
        this.table = table;
        this.seal = seal;
        this.apps = apps;
    }

    private static String appKey(String appId) {
        return "APP#" + appId;
    }

    private static String endpointKey(String endpointId) {
        return "ENDPOINT#" + endpointId;
    }

    // ---- endpoints --------------------------------------------------------------------------------

    @Override
    public List<WebhookEndpoint> list(String appId) {
        List<WebhookEndpoint> endpoints = new ArrayList<>();
        for (Map<String, AttributeValue> item : query(appKey(appId), "ENDPOINT#", true, 100, true)) {
            endpoints.add(toEndpoint(item));
        }
        return endpoints;
    }

    @Override
    public Optional<WebhookEndpoint> find(String appId, String endpointId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(Items.key(appKey(appId), endpointKey(endpointId)))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toEndpoint(item));
    }

    @Override
    public void create(WebhookEndpoint endpoint, int maxPerApp) {
        Transaction transaction = new Transaction()
                .update(Guard.ENDPOINT_LIMIT, Update.builder().tableName(table).key(Items.key(appKey(endpoint.appId()), "ENDPOINTS"))
                        .updateExpression("SET #count = if_not_exists(#count, :zero) + :one")
                        .conditionExpression("attribute_not_exists(#count) OR #count < :max")
                        .expressionAttributeNames(Map.of("#count", "count"))
                        .expressionAttributeValues(Map.of(":zero", Items.n(0), ":one", Items.n(1), ":max", Items.n(maxPerApp)))
                        .build())
                .put(Guard.NONE, Put.builder().tableName(table).item(endpointItem(endpoint))
                        .conditionExpression("attribute_not_exists(pk)").build());
        Map<String, Integer> wants = wantsChange(null, endpoint);
        if (!wants.isEmpty()) {
            transaction.update(Guard.NONE, apps.webhookWantsChange(endpoint.appId(), wants));
        }
        try {
            transaction.commit(dynamo);
        } catch (GuardFailedException refused) {
            if (refused.failed().contains(Guard.ENDPOINT_LIMIT) && !refused.conflict()) {
                throw Problem.withDetails(Reason.WEBHOOK_ENDPOINT_LIMIT_EXCEEDED, Map.of("limit", maxPerApp)).reject();
            }
            throw refused;
        }
    }

    /** How an endpoint's write changes its app's counts of endpoints per wanted type (null: none before, or none after). */
    static Map<String, Integer> wantsChange(WebhookEndpoint before, WebhookEndpoint after) {
        Map<String, Integer> deltas = new java.util.TreeMap<>();
        if (before != null && before.enabled()) {
            before.eventTypes().forEach(type -> deltas.merge(type, -1, Integer::sum));
        }
        if (after != null && after.enabled()) {
            after.eventTypes().forEach(type -> deltas.merge(type, 1, Integer::sum));
        }
        deltas.values().removeIf(delta -> delta == 0);
        return deltas;
    }

    @Override
    public Optional<WebhookEndpoint> update(String appId, String endpointId, UnaryOperator<WebhookEndpoint> change) {
        for (int attempt = 1; ; attempt++) {
            Optional<WebhookEndpoint> stored = find(appId, endpointId);
            if (stored.isEmpty()) {
                return Optional.empty();
            }
            WebhookEndpoint changed = change.apply(stored.get()).nextVersion();
            Put put = Put.builder().tableName(table).item(endpointItem(changed))
                    .conditionExpression("#version = :read")
                    .expressionAttributeNames(Map.of("#version", "version"))
                    .expressionAttributeValues(Map.of(":read", Items.n(stored.get().version()))).build();
            Map<String, Integer> wants = wantsChange(stored.get(), changed);
            try {
                if (wants.isEmpty()) {
                    dynamo.putItem(r -> r.tableName(put.tableName()).item(put.item()).conditionExpression(put.conditionExpression())
                            .expressionAttributeNames(put.expressionAttributeNames()).expressionAttributeValues(put.expressionAttributeValues()));
                } else {
                    new Transaction().put(Guard.NONE, put).update(Guard.NONE, apps.webhookWantsChange(appId, wants)).commit(dynamo);
                }
                return Optional.of(changed);
            } catch (ConditionalCheckFailedException | GuardFailedException changedMeanwhile) {
                if (attempt == UPDATE_ATTEMPTS) {
                    throw changedMeanwhile;
                }
            }
        }
    }

    @Override
    public boolean delete(String appId, String endpointId) {
        for (int attempt = 1; ; attempt++) {
            Optional<WebhookEndpoint> stored = find(appId, endpointId);
            if (stored.isEmpty()) {
                return false;
            }
            Transaction transaction = new Transaction()
                    .delete(Guard.NONE, Delete.builder().tableName(table).key(Items.key(appKey(appId), endpointKey(endpointId)))
                            .conditionExpression("#version = :read").expressionAttributeNames(Map.of("#version", "version"))
                            .expressionAttributeValues(Map.of(":read", Items.n(stored.get().version()))).build())
                    .update(Guard.ENDPOINT_LIMIT, Update.builder().tableName(table).key(Items.key(appKey(appId), "ENDPOINTS"))
                            .updateExpression("ADD #count :minus").expressionAttributeNames(Map.of("#count", "count"))
                            .expressionAttributeValues(Map.of(":minus", Items.n(-1))).build());
            Map<String, Integer> wants = wantsChange(stored.get(), null);
            if (!wants.isEmpty()) {
                transaction.update(Guard.NONE, apps.webhookWantsChange(appId, wants));
            }
            try {
                transaction.commit(dynamo);
                return true;
            } catch (GuardFailedException changedMeanwhile) {
                if (attempt == UPDATE_ATTEMPTS) {
                    throw changedMeanwhile;
                }
            }
        }
    }

    private Map<String, AttributeValue> endpointItem(WebhookEndpoint endpoint) {
        Map<String, AttributeValue> item = new HashMap<>(Items.key(appKey(endpoint.appId()), endpointKey(endpoint.id())));
        item.put("kind", Items.s("endpoint"));
        item.put("url", Items.s(endpoint.url()));
        item.put("event_types", Items.l(endpoint.eventTypes().stream().sorted().map(Items::s).toList()));
        item.put("enabled", Items.bool(endpoint.enabled()));
        item.put("description", Items.s(endpoint.description()));
        List<AttributeValue> secrets = new ArrayList<>();
        for (WebhookEndpoint.Secret secret : endpoint.secrets()) {
            Map<String, AttributeValue> stored = new HashMap<>();
            stored.put("value", Items.s(SecretSeal.isSealed(secret.value()) ? secret.value()
                    : seal.seal(secret.value(), secretContext(endpoint))));
            if (secret.retiresAt() != null) {
                stored.put("retires_at", Items.s(secret.retiresAt().toString()));
            }
            secrets.add(Items.m(stored));
        }
        item.put("secrets", Items.l(secrets));
        item.put("created_at", Items.s(endpoint.createdAt().toString()));
        if (endpoint.failingSince() != null) {
            item.put("failing_since", Items.s(endpoint.failingSince().toString()));
        }
        if (endpoint.disabledReason() != null) {
            item.put("disabled_reason", Items.s(endpoint.disabledReason()));
        }
        item.put("version", Items.n(endpoint.version()));
        return item;
    }

    private WebhookEndpoint toEndpoint(Map<String, AttributeValue> item) {
        String appId = Items.string(item, "pk").substring("APP#".length());
        String id = Items.string(item, "sk").substring("ENDPOINT#".length());
        List<WebhookEndpoint.Secret> secrets = new ArrayList<>();
        for (AttributeValue stored : item.get("secrets").l()) {
            String retires = Items.string(stored.m(), "retires_at");
            secrets.add(new WebhookEndpoint.Secret(seal.open(Items.string(stored.m(), "value"), appId + "/" + id),
                    retires == null ? null : Instant.parse(retires)));
        }
        Set<String> types = new LinkedHashSet<>();
        item.get("event_types").l().forEach(t -> types.add(t.s()));
        String failing = Items.string(item, "failing_since");
        return new WebhookEndpoint(appId, id, Items.string(item, "url"), types, Items.flag(item, "enabled"),
                Items.string(item, "description"), secrets, Instant.parse(Items.string(item, "created_at")),
                failing == null ? null : Instant.parse(failing), Items.string(item, "disabled_reason"), Items.number(item, "version"));
    }

    private static String secretContext(WebhookEndpoint endpoint) {
        return endpoint.appId() + "/" + endpoint.id();
    }

    // ---- outbox -----------------------------------------------------------------------------------

    private static String eventSortKey(Instant at, String eventId) {
        return "EVENT#" + String.format("%013d", at.toEpochMilli()) + "#" + eventId;
    }

    @Override
    public void record(WebhookEvent event) {
        Map<String, AttributeValue> item = new HashMap<>(Items.key(appKey(event.appId()), eventSortKey(event.timestamp(), event.id())));
        item.put("kind", Items.s("event"));
        item.put("event_id", Items.s(event.id()));
        item.put("event_type", Items.s(event.type()));
        item.put("at", Items.s(event.timestamp().toString()));
        item.put("app_id", Items.s(event.appId()));
        if (event.domainId() != null) {
            item.put("domain_id", Items.s(event.domainId()));
        }
        item.put("data", Items.s(Json.write(event.data())));
        item.put("ttl", Items.n(event.timestamp().plus(EndpointRules.EVENT_RETENTION).getEpochSecond()));
        try {
            dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException recordedAlready) {
            // the same event, recorded by an earlier attempt: its stream record went out then
        }
    }

    @Override
    public List<WebhookEvent> between(String appId, Instant since, Instant until, int limit) {
        Map<String, AttributeValue> values = Map.of(":pk", Items.s(appKey(appId)), ":from", Items.s(eventSortKey(since, "")),
                ":to", Items.s(eventSortKey(until, "")));
        List<WebhookEvent> events = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var page = dynamo.query(QueryRequest.builder().tableName(table)
                    .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                    .expressionAttributeValues(values).limit(Math.min(limit - events.size(), 500))
                    .exclusiveStartKey(start).build());
            page.items().forEach(item -> events.add(toEvent(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && events.size() < limit);
        return events;
    }

    @Override
    public Optional<WebhookEvent> findEvent(String appId, Instant at, String eventId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(Items.key(appKey(appId), eventSortKey(at, eventId)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toEvent(item));
    }

    /**
     * The outbox events of a DynamoDB Streams batch as Lambda hands it over ({@code Records[].dynamodb.NewImage},
     * attribute values in DynamoDB's JSON): the template's filter passes only new events, and anything else is skipped.
     */
    public static List<WebhookEvent> streamEvents(com.fasterxml.jackson.databind.JsonNode batch) {
        List<WebhookEvent> events = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode record : batch.path("Records")) {
            com.fasterxml.jackson.databind.JsonNode image = record.path("dynamodb").path("NewImage");
            if (!"INSERT".equals(record.path("eventName").asText()) || !"event".equals(image.path("kind").path("S").asText())) {
                continue;
            }
            Map<String, AttributeValue> item = new HashMap<>();
            for (String name : List.of("event_id", "event_type", "at", "app_id", "domain_id", "data")) {
                if (image.path(name).has("S")) {
                    item.put(name, Items.s(image.path(name).path("S").asText()));
                }
            }
            events.add(toEvent(item));
        }
        return events;
    }

    /** An outbox item as the table or its stream holds it. */
    @SuppressWarnings("unchecked")
    public static WebhookEvent toEvent(Map<String, AttributeValue> item) {
        Map<String, Object> data;
        try {
            data = Json.MAPPER.readValue(Items.string(item, "data"), Map.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException unreadable) {
            throw new IllegalStateException("an outbox item's data is not JSON", unreadable);
        }
        return new WebhookEvent(Items.string(item, "event_id"), Items.string(item, "event_type"), Instant.parse(Items.string(item, "at")),
                Items.string(item, "app_id"), Items.string(item, "domain_id"), data);
    }

    // ---- delivery log -----------------------------------------------------------------------------

    @Override
    public void recordAttempt(Delivery delivery, DeliveryAttempt attempt, String status, Instant at, Instant nextAttemptAt) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":one", Items.n(1));
        values.put(":endpoint", Items.s(delivery.endpointId()));
        values.put(":event", Items.s(delivery.event().id()));
        values.put(":type", Items.s(delivery.event().type()));
        values.put(":eventAt", Items.s(delivery.event().timestamp().toString()));
        values.put(":status", Items.s(status));
        values.put(":lastStatus", Items.n(attempt.status()));
        values.put(":error", Items.s(cut(attempt.error() == null ? "" : attempt.error(), KEPT_ERROR_CHARS)));
        values.put(":response", Items.s(cut(attempt.responseStart() == null ? "" : attempt.responseStart(), KEPT_RESPONSE_CHARS)));
        values.put(":at", Items.s(at.toString()));
        values.put(":next", Items.s(nextAttemptAt == null ? "" : nextAttemptAt.toString()));
        values.put(":ttl", Items.n(at.plus(EndpointRules.EVENT_RETENTION).getEpochSecond()));
        dynamo.updateItem(r -> r.tableName(table).key(Items.key(endpointKey(delivery.endpointId()), "DELIVERY#" + delivery.id()))
                .updateExpression("SET kind = :kind, endpoint_id = :endpoint, event_id = :event, event_type = :type, event_at = :eventAt,"
                        + " #status = :status, last_status = :lastStatus, last_error = :error, response_start = :response,"
                        + " last_attempt_at = :at, next_attempt_at = :next, #ttl = :ttl ADD attempts :one")
                .expressionAttributeNames(Map.of("#status", "status", "#ttl", "ttl"))
                .expressionAttributeValues(withKind(values)));
    }

    private static Map<String, AttributeValue> withKind(Map<String, AttributeValue> values) {
        values.put(":kind", Items.s("delivery"));
        return values;
    }

    @Override
    public List<DeliveryRecord> recent(String endpointId, int limit) {
        return query(endpointKey(endpointId), "DELIVERY#", false, limit, false).stream().map(DynamoWebhooks::toRecord).toList();
    }

    @Override
    public Optional<DeliveryRecord> findDelivery(String endpointId, String deliveryId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(Items.key(endpointKey(endpointId), "DELIVERY#" + deliveryId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toRecord(item));
    }

    private static DeliveryRecord toRecord(Map<String, AttributeValue> item) {
        String next = Items.string(item, "next_attempt_at");
        return new DeliveryRecord(Items.string(item, "sk").substring("DELIVERY#".length()), Items.string(item, "endpoint_id"),
                Items.string(item, "event_id"), Items.string(item, "event_type"), Instant.parse(Items.string(item, "event_at")),
                Items.string(item, "status"), Items.number(item, "attempts").intValue(), Items.number(item, "last_status").intValue(),
                Items.string(item, "last_error"), Items.string(item, "response_start"), Instant.parse(Items.string(item, "last_attempt_at")),
                next == null || next.isEmpty() ? null : Instant.parse(next));
    }

    private List<Map<String, AttributeValue>> query(String pk, String prefix, boolean forward, int limit, boolean consistent) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var page = dynamo.query(QueryRequest.builder().tableName(table)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                    .expressionAttributeValues(Map.of(":pk", Items.s(pk), ":prefix", Items.s(prefix)))
                    .scanIndexForward(forward).consistentRead(consistent).limit(limit - items.size())
                    .exclusiveStartKey(start).build());
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && items.size() < limit);
        return items;
    }

    private static String cut(String text, int max) {
        return text.length() > max ? text.substring(0, max) : text;
    }
}
