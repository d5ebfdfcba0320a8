package io.userhub.shared.store;

import io.userhub.shared.model.Session;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import io.userhub.shared.model.SessionRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sessions table, keyed by the SHA-256 of the session token under its app. Sessions carry
 * their next notice time in a sparse, sharded index (DueNotices) and a TTL a day past expiry.
 */
public final class SessionStore {
    /** Shards of the due-notice index, so one hot partition never holds every due session. */
    public static final int NOTICE_SHARDS = 8;
    private static final long TTL_GRACE_SECONDS = 24 * 3600;

    private final DynamoDbClient dynamo;
    private final String table;

    public SessionStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public String table() {
        return table;
    }

    public static String tokenHash(String token) {
        return Hashing.sha256Hex(token);
    }

    public Put newSession(Session session, String tokenHash) {
        Map<String, AttributeValue> item = new HashMap<>(Items.key(Keys.session(session.appId(), tokenHash)));
        item.put("session_id", Items.s(session.sessionId()));
        item.put("app_id", Items.s(session.appId()));
        item.put("domain_id", Items.s(session.domainId()));
        item.put("user_id", Items.s(session.userId()));
        item.put("device_id", Items.s(session.deviceId()));
        item.put("user_key", Items.s(Keys.userSessions(session.appId(), session.userId())));
        item.put("state", Items.s(SessionRecord.ACTIVE));
        item.put("anonymous", Items.bool(session.anonymous()));
        item.put("created_at", Items.n(session.createdAt().getEpochSecond()));
        item.put("expires_at", Items.n(session.expiresAt().getEpochSecond()));
        item.put("refresh_at", Items.n(session.refreshAt().getEpochSecond()));
        item.put("notice_shard", Items.s(session.appId() + "#" + Math.floorMod(session.sessionId().hashCode(), NOTICE_SHARDS)));
        item.put("notice_due_at", Items.n(session.refreshAt().getEpochSecond()));
        item.put("ttl", Items.n(session.expiresAt().getEpochSecond() + TTL_GRACE_SECONDS));
        return Put.builder().tableName(table).item(item).conditionExpression("attribute_not_exists(pk)").build();
    }

    public Delete deleteSession(String sessionKey) {
        return Delete.builder().tableName(table).key(Items.key(sessionKey)).build();
    }

    /** The session a token names in an app, if it exists, is active and has not expired at {@code now}. */
    public Optional<Session> findActive(String appId, String token, Instant now) {
        return find(Keys.session(appId, tokenHash(token)))
                .filter(r -> r.state().equals(SessionRecord.ACTIVE) || r.state().equals(SessionRecord.REFRESH_DUE))
                .map(SessionRecord::session)
                .filter(s -> s.expiresAt().isAfter(now));
    }

    public Optional<SessionRecord> find(String sessionKey) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(Items.key(sessionKey)).consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toRecord(item));
    }

    /** What an update-making request gets: the session, counted against its rate limit, or why not. */
    public sealed interface Touch {
        record Allowed(SessionRecord record) implements Touch {}

        /** The conditions failed; {@code current} is the item as it was, if any. */
        record Refused(Optional<SessionRecord> current, long windowEndsAt) implements Touch {}
    }

    /**
     * One conditional UpdateItem that both authenticates an update request and counts it in a
     * fixed one-minute window (an attribute per window, the previous one removed), so the rate
     * limit costs no extra round trip and concurrent requests cannot overshoot it.
     */
    public Touch touchForUpdate(String sessionKey, Instant now, int limitPerMinute) {
        long window = now.getEpochSecond() / 60;
        ExpressionBuilder e = new ExpressionBuilder();
        String current = e.name("rl_" + window);
        e.add(current, Items.n(1));
        e.remove(e.name("rl_" + (window - 1)));
        String state = e.name("state");
        String expires = e.name("expires_at");
        e.condition("attribute_exists(pk)");
        e.condition("(" + state + " = " + e.value(Items.s(SessionRecord.ACTIVE)) + " OR " + state + " = "
                + e.value(Items.s(SessionRecord.REFRESH_DUE)) + ")");
        e.condition(expires + " > " + e.value(Items.n(now.getEpochSecond())));
        e.condition("(attribute_not_exists(" + current + ") OR " + current + " < " + e.value(Items.n(limitPerMinute)) + ")");
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(UpdateItemRequest.builder().tableName(table)
                    .key(Items.key(sessionKey))
                    .updateExpression(e.updateExpression())
                    .conditionExpression(e.conditionExpression())
                    .expressionAttributeNames(e.names())
                    .expressionAttributeValues(e.values())
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build()).attributes();
            return new Touch.Allowed(toRecord(item));
        } catch (ConditionalCheckFailedException refused) {
            Map<String, AttributeValue> old = refused.hasItem() ? refused.item() : Map.of();
            return new Touch.Refused(old.isEmpty() ? Optional.empty() : Optional.of(toRecord(old)), (window + 1) * 60);
        }
    }

    /** Marks a session logged out (kept until its TTL so that a second logout can say so). False if there is none. */
    public boolean markLoggedOut(String sessionKey, Instant now) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(Items.key(sessionKey))
                    .updateExpression("SET #state = :out, logged_out_at = :now REMOVE notice_shard, notice_due_at")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(Map.of(":out", Items.s(SessionRecord.LOGGED_OUT), ":now", Items.n(now.getEpochSecond())))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException absent) {
            return false;
        }
    }

    static SessionRecord toRecord(Map<String, AttributeValue> item) {
        Session session = new Session(
                Items.string(item, "session_id"),
                Items.string(item, "app_id"),
                Items.string(item, "domain_id"),
                Items.string(item, "user_id"),
                Items.string(item, "device_id"),
                Instant.ofEpochSecond(Items.number(item, "created_at")),
                Instant.ofEpochSecond(Items.number(item, "expires_at")),
                Instant.ofEpochSecond(Items.number(item, "refresh_at")),
                Items.flag(item, "anonymous"));
        List<SessionRecord.Notice> notices = new ArrayList<>();
        AttributeValue list = item.get("notices");
        if (list != null && list.hasL()) {
            for (AttributeValue n : list.l()) {
                notices.add(new SessionRecord.Notice(Items.string(n.m(), "type"), Items.string(n.m(), "event_id"),
                        Instant.ofEpochSecond(Items.number(n.m(), "at"))));
            }
        }
        String state = Items.string(item, "state");
        return new SessionRecord(session, state == null ? SessionRecord.ACTIVE : state, notices);
    }
}
