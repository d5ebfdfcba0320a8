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
import io.userhub.shared.webhook.WebhookEndpoint;
import io.userhub.shared.webhook.WebhookEvent;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

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
 * The webhook ports on the webhooks table ({@link WebhookItems} holds its items and writes). The
 * table's stream carries every new outbox event to the fan-out (the template's filter keeps the
 * rest out). An endpoint's write changes its app's counts of wanted event types in the same
 * transaction ({@link AppStore#webhookWantsChange}).
 */
public final class DynamoWebhooks implements WebhookEndpoints, WebhookOutbox, WebhookDeliveries {
    private static final int UPDATE_ATTEMPTS = 5;

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
        return WebhookItems.appKey(appId);
    }

    private static String endpointKey(String endpointId) {
        return WebhookItems.endpointKey(endpointId);
    }

    // ---- endpoints --------------------------------------------------------------------------------

    @Override
    public List<WebhookEndpoint> list(String appId) {
        List<WebhookEndpoint> endpoints = new ArrayList<>();
        for (Map<String, AttributeValue> item : query(appKey(appId), WebhookItems.ENDPOINT_PREFIX, true, 100, true)) {
            endpoints.add(toEndpoint(item, false));
        }
        return endpoints;
    }

    @Override
    public Optional<WebhookEndpoint> find(String appId, String endpointId) {
        return read(appId, endpointId, true);
    }

    private Optional<WebhookEndpoint> read(String appId, String endpointId, boolean openSecrets) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(Items.key(appKey(appId), endpointKey(endpointId)))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toEndpoint(item, openSecrets));
    }

    @Override
    public void create(WebhookEndpoint endpoint, int maxPerApp) {
        Transaction transaction = new Transaction()
                .update(Guard.ENDPOINT_LIMIT, WebhookItems.countUp(table, endpoint.appId(), maxPerApp))
                .put(Guard.NONE, WebhookItems.newEndpoint(table, endpoint, seal));
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
            throw busy();
        }
    }

    /** Other writes of the same endpoint (or app) kept winning: the caller may retry in a second. */
    private static io.userhub.shared.validation.Rejection busy() {
        return Problem.withDetails(Reason.SERVICE_BUSY, Map.of("retryAfterSeconds", 1)).reject();
    }

    /**
     * How an endpoint's write changes its app's counts of endpoints per subscribed type (null: none
     * before, or none after). A disabled endpoint counts too: its events are kept meanwhile, so the
     * window it missed can be replayed once it is enabled again.
     */
    static Map<String, Integer> wantsChange(WebhookEndpoint before, WebhookEndpoint after) {
        Map<String, Integer> deltas = new java.util.TreeMap<>();
        if (before != null) {
            before.eventTypes().forEach(type -> deltas.merge(type, -1, Integer::sum));
        }
        if (after != null) {
            after.eventTypes().forEach(type -> deltas.merge(type, 1, Integer::sum));
        }
        deltas.values().removeIf(delta -> delta == 0);
        return deltas;
    }

    @Override
    public Optional<WebhookEndpoint> update(String appId, String endpointId, UnaryOperator<WebhookEndpoint> change) {
        return overTheVersionRead(appId, endpointId, stored -> {
            WebhookEndpoint changed = change.apply(stored).nextVersion();
            Map<String, Integer> wants = wantsChange(stored, changed);
            if (wants.isEmpty()) {
                dynamo.putItem(WebhookItems.changedEndpointRequest(table, changed, stored.version(), seal));
            } else {
                new Transaction().put(Guard.NONE, WebhookItems.changedEndpoint(table, changed, stored.version(), seal))
                        .update(Guard.NONE, apps.webhookWantsChange(appId, wants)).commit(dynamo);
            }
            return changed;
        });
    }

    @Override
    public boolean delete(String appId, String endpointId) {
        return overTheVersionRead(appId, endpointId, stored -> {
            Transaction transaction = new Transaction()
                    .delete(Guard.NONE, WebhookItems.removedEndpoint(table, appId, endpointId, stored.version()))
                    .update(Guard.ENDPOINT_LIMIT, WebhookItems.countDown(table, appId));
            Map<String, Integer> wants = wantsChange(stored, null);
            if (!wants.isEmpty()) {
                transaction.update(Guard.NONE, apps.webhookWantsChange(appId, wants));
            }
            transaction.commit(dynamo);
            return true;
        }).orElse(false);
    }

    /**
     * Reads the endpoint as stored (its secrets not opened: a change rewrites their sealed form) and
     * writes over the version read; a write that landed meanwhile means reading again, a few times.
     */
    private <R> Optional<R> overTheVersionRead(String appId, String endpointId, java.util.function.Function<WebhookEndpoint, R> write) {
        for (int attempt = 1; ; attempt++) {
            Optional<WebhookEndpoint> stored = read(appId, endpointId, false);
            if (stored.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(write.apply(stored.get()));
            } catch (ConditionalCheckFailedException | GuardFailedException changedMeanwhile) {
                if (attempt == UPDATE_ATTEMPTS) {
                    throw busy();
                }
            }
        }
    }

    /** @param open whether to open the secrets (a delivery, a change); a listing signs nothing and calls no KMS */
    private WebhookEndpoint toEndpoint(Map<String, AttributeValue> item, boolean open) {
        String appId = Items.string(item, "app_id");
        String id = Items.string(item, "sk").substring(WebhookItems.ENDPOINT_PREFIX.length());
        List<WebhookEndpoint.Secret> secrets = new ArrayList<>();
        for (AttributeValue stored : item.get("secrets").l()) {
            String retires = Items.string(stored.m(), "retires_at");
            String storedValue = Items.string(stored.m(), "value");
            secrets.add(new WebhookEndpoint.Secret(open ? seal.open(storedValue, appId + "/" + id) : "",
                    retires == null ? null : Instant.parse(retires), storedValue));
        }
        Set<String> types = new LinkedHashSet<>();
        item.get("event_types").l().forEach(t -> types.add(t.s()));
        String failing = Items.string(item, "failing_since");
        return new WebhookEndpoint(appId, id, Items.string(item, "url"), types, Items.flag(item, "enabled"),
                Items.string(item, "description"), secrets, Instant.parse(Items.string(item, "created_at")),
                failing == null ? null : Instant.parse(failing), Items.string(item, "disabled_reason"), Items.number(item, "version"));
    }

    // ---- outbox -----------------------------------------------------------------------------------

    private static String eventSortKey(Instant at, String eventId) {
        return WebhookItems.eventSortKey(at, eventId);
    }

    @Override
    public void record(WebhookEvent event) {
        try {
            dynamo.putItem(WebhookItems.newEvent(table, event));
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
        dynamo.updateItem(WebhookItems.attempt(table, delivery, attempt, status, at, nextAttemptAt));
    }

    @Override
    public List<DeliveryRecord> recent(String endpointId, int limit) {
        return query(endpointKey(endpointId), WebhookItems.DELIVERY_PREFIX, false, limit, false).stream().map(DynamoWebhooks::toRecord).toList();
    }

    @Override
    public Optional<DeliveryRecord> findDelivery(String endpointId, String deliveryId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(Items.key(endpointKey(endpointId), WebhookItems.deliverySortKey(deliveryId))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toRecord(item));
    }

    private static DeliveryRecord toRecord(Map<String, AttributeValue> item) {
        String next = Items.string(item, "next_attempt_at");
        return new DeliveryRecord(Items.string(item, "sk").substring(WebhookItems.DELIVERY_PREFIX.length()), Items.string(item, "endpoint_id"),
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

}
