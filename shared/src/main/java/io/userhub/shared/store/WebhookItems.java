package io.userhub.shared.store;

import io.userhub.shared.crypto.SecretSeal;
import io.userhub.shared.json.Json;
import io.userhub.shared.webhook.Delivery;
import io.userhub.shared.webhook.DeliveryAttempt;
import io.userhub.shared.webhook.EndpointRules;
import io.userhub.shared.webhook.WebhookEndpoint;
import io.userhub.shared.webhook.WebhookEvent;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The webhooks table's items and their writes: an app's endpoints ({@code APP#<app>},
 * {@code ENDPOINT#<id>}) and their count ({@code ENDPOINTS}), the outbox's events ({@code APP#<app>},
 * {@code EVENT#<millis>#<id>}, kept for replay until their TTL) and each endpoint's delivery log
 * ({@code ENDPOINT#<id>}, {@code DELIVERY#<millis>.<id>}). Endpoint secrets are sealed like the apps'
 * signing secrets, under the context {@code <app>/<endpoint>}.
 */
@WritesItems({ItemType.WEBHOOK_ENDPOINT, ItemType.WEBHOOK_ENDPOINT_COUNT, ItemType.WEBHOOK_EVENT, ItemType.WEBHOOK_DELIVERY})
final class WebhookItems {
    private static final int KEPT_ERROR_CHARS = 200;
    private static final int KEPT_RESPONSE_CHARS = 500;
    static final String ENDPOINT_PREFIX = "ENDPOINT#";
    static final String EVENT_PREFIX = "EVENT#";
    static final String DELIVERY_PREFIX = "DELIVERY#";
    private static final String COUNT = "ENDPOINTS";

    private WebhookItems() {}

    static String appKey(String appId) {
        return "APP#" + appId;
    }

    static String endpointKey(String endpointId) {
        return ENDPOINT_PREFIX + endpointId;
    }

    static String eventSortKey(Instant at, String eventId) {
        return EVENT_PREFIX + String.format("%013d", at.toEpochMilli()) + "#" + eventId;
    }

    static String deliverySortKey(String deliveryId) {
        return DELIVERY_PREFIX + deliveryId;
    }

    // ---- endpoints and their count -------------------------------------------------------------

    /** A new endpoint: no item of its key yet. */
    static Put newEndpoint(String table, WebhookEndpoint endpoint, SecretSeal seal) {
        return Put.builder().tableName(table).item(endpointItem(endpoint, seal)).conditionExpression("attribute_not_exists(pk)").build();
    }

    /** The endpoint as changed, over the version that was read. */
    static Put changedEndpoint(String table, WebhookEndpoint changed, long readVersion, SecretSeal seal) {
        return Put.builder().tableName(table).item(endpointItem(changed, seal))
                .conditionExpression("#version = :read")
                .expressionAttributeNames(Map.of("#version", "version"))
                .expressionAttributeValues(Map.of(":read", Items.n(readVersion))).build();
    }

    static PutItemRequest changedEndpointRequest(String table, WebhookEndpoint changed, long readVersion, SecretSeal seal) {
        Put put = changedEndpoint(table, changed, readVersion, seal);
        return PutItemRequest.builder().tableName(put.tableName()).item(put.item()).conditionExpression(put.conditionExpression())
                .expressionAttributeNames(put.expressionAttributeNames()).expressionAttributeValues(put.expressionAttributeValues()).build();
    }

    static Delete removedEndpoint(String table, String appId, String endpointId, long readVersion) {
        return Delete.builder().tableName(table).key(Items.key(appKey(appId), endpointKey(endpointId)))
                .conditionExpression("#version = :read").expressionAttributeNames(Map.of("#version", "version"))
                .expressionAttributeValues(Map.of(":read", Items.n(readVersion))).build();
    }

    /** One endpoint more, refused at {@code max}. */
    static Update countUp(String table, String appId, int max) {
        return Update.builder().tableName(table).key(Items.key(appKey(appId), COUNT))
                .updateExpression("SET #count = if_not_exists(#count, :zero) + :one")
                .conditionExpression("attribute_not_exists(#count) OR #count < :max")
                .expressionAttributeNames(Map.of("#count", "count"))
                .expressionAttributeValues(Map.of(":zero", Items.n(0), ":one", Items.n(1), ":max", Items.n(max))).build();
    }

    static Update countDown(String table, String appId) {
        return Update.builder().tableName(table).key(Items.key(appKey(appId), COUNT))
                .updateExpression("ADD #count :minus").expressionAttributeNames(Map.of("#count", "count"))
                .expressionAttributeValues(Map.of(":minus", Items.n(-1))).build();
    }

    private static Map<String, AttributeValue> endpointItem(WebhookEndpoint endpoint, SecretSeal seal) {
        Map<String, AttributeValue> item = new HashMap<>(Items.key(appKey(endpoint.appId()), endpointKey(endpoint.id())));
        item.put("kind", Items.s("endpoint"));
        item.put("app_id", Items.s(endpoint.appId()));
        item.put("url", Items.s(endpoint.url()));
        item.put("event_types", Items.l(endpoint.eventTypes().stream().sorted().map(Items::s).toList()));
        item.put("enabled", Items.bool(endpoint.enabled()));
        item.put("description", Items.s(endpoint.description()));
        List<AttributeValue> secrets = new ArrayList<>();
        for (WebhookEndpoint.Secret secret : endpoint.secrets()) {
            Map<String, AttributeValue> stored = new HashMap<>();
            stored.put("value", Items.s(secret.stored() != null ? secret.stored()
                    : seal.seal(secret.value(), endpoint.appId() + "/" + endpoint.id())));
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

    // ---- the outbox ------------------------------------------------------------------------------

    /** The event, once: a second write of the same event (same time and id) is refused, so the stream carries it once. */
    static PutItemRequest newEvent(String table, WebhookEvent event) {
        return PutItemRequest.builder().tableName(table).item(eventItem(event)).conditionExpression("attribute_not_exists(pk)").build();
    }

    /**
     * The event, in the transaction of the outcome it reports. Unconditional: the outcome's own
     * write is the one guard, and rewriting an identical item makes no second INSERT on the stream.
     */
    static Put eventInTransaction(String table, WebhookEvent event) {
        return Put.builder().tableName(table).item(eventItem(event)).build();
    }

    private static Map<String, AttributeValue> eventItem(WebhookEvent event) {
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
        return item;
    }

    // ---- the delivery log ------------------------------------------------------------------------

    /** One attempt noted: counted, its answer kept (cut), the delivery's status set; kept 30 days. */
    static UpdateItemRequest attempt(String table, Delivery delivery, DeliveryAttempt attempt, String status, Instant at,
                                     Instant nextAttemptAt) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":one", Items.n(1));
        values.put(":kind", Items.s("delivery"));
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
        return UpdateItemRequest.builder().tableName(table).key(Items.key(endpointKey(delivery.endpointId()), deliverySortKey(delivery.id())))
                .updateExpression("SET kind = :kind, endpoint_id = :endpoint, event_id = :event, event_type = :type, event_at = :eventAt,"
                        + " #status = :status, last_status = :lastStatus, last_error = :error, response_start = :response,"
                        + " last_attempt_at = :at, next_attempt_at = :next, #ttl = :ttl ADD attempts :one")
                .expressionAttributeNames(Map.of("#status", "status", "#ttl", "ttl"))
                .expressionAttributeValues(values).build();
    }

    private static String cut(String text, int max) {
        return text.length() > max ? text.substring(0, max) : text;
    }
}
