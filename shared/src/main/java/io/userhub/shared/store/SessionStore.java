package io.userhub.shared.store;

import io.userhub.shared.model.Session;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;

import java.time.Instant;
import java.util.HashMap;
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
        item.put("state", Items.s("ACTIVE"));
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

    /** The session a token names in an app, if it exists and has not expired at {@code now}. */
    public Optional<Session> findActive(String appId, String token, Instant now) {
        return find(Keys.session(appId, tokenHash(token))).filter(s -> s.expiresAt().isAfter(now));
    }

    public Optional<Session> find(String sessionKey) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(Items.key(sessionKey)).consistentRead(true).build()).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Session(
                Items.string(item, "session_id"),
                Items.string(item, "app_id"),
                Items.string(item, "domain_id"),
                Items.string(item, "user_id"),
                Items.string(item, "device_id"),
                Instant.ofEpochSecond(Items.number(item, "created_at")),
                Instant.ofEpochSecond(Items.number(item, "expires_at")),
                Instant.ofEpochSecond(Items.number(item, "refresh_at"))));
    }
}
