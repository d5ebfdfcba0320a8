package io.userhub.shared.store;

import io.userhub.shared.crypto.Hashing;
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
import io.userhub.shared.model.SessionState;
import io.userhub.shared.notice.NoticeKind;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

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
    /**
     * Shards of the due-notice index, so one hot partition never holds every due session. The
     * shards are global (not per app) so that a notifier finds every app's due sessions by
     * querying 16 partitions, without a list of apps and without a Scan.
     */
    public static final int NOTICE_SHARDS = 16;
    public static final String DUE_NOTICES_INDEX = "DueNotices";
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
        item.put("user_key", Items.s(Keys.userSessions(session.domainId(), session.userId())));
        item.put("state", Items.s(SessionState.ACTIVE.name()));
        item.put("anonymous", Items.bool(session.anonymous()));
        item.put("full_privacy", Items.bool(session.fullPrivacy()));
        item.put("created_at", Items.n(session.createdAt().getEpochSecond()));
        item.put("expires_at", Items.n(session.expiresAt().getEpochSecond()));
        item.put("refresh_at", Items.n(session.refreshAt().getEpochSecond()));
        item.put("notice_shard", Items.s(shard(Math.floorMod(session.sessionId().hashCode(), NOTICE_SHARDS))));
        item.put("notice_due_at", Items.n(session.refreshAt().getEpochSecond()));
        item.put("ttl", Items.n(ttlOf(session)));
        // The rate counter starts in the login's minute, so that minute's updates count in one write.
        item.put("rl_w", Items.n(session.createdAt().getEpochSecond() / 60));
        item.put("rl_n", Items.n(0));
        return Put.builder().tableName(table).item(item).conditionExpression("attribute_not_exists(pk)").build();
    }

    /** When DynamoDB may delete a session's items: a day past its expiry. */
    public static long ttlOf(Session session) {
        return session.expiresAt().getEpochSecond() + TTL_GRACE_SECONDS;
    }

    /** @return whether there was a session to delete */
    public boolean deleteSessionNow(String sessionKey) {
        return dynamo.deleteItem(b -> b.tableName(table).key(Items.key(sessionKey)).returnValues(ReturnValue.ALL_OLD)).hasAttributes();
    }

    public Delete deleteSession(String sessionKey) {
        return Delete.builder().tableName(table).key(Items.key(sessionKey)).build();
    }

    /** Deletes a session only if it is gone already or belongs to the device (a login replacing it). */
    public Delete deleteSessionOfDevice(String sessionKey, String deviceId) {
        return Delete.builder().tableName(table).key(Items.key(sessionKey))
                .conditionExpression("attribute_not_exists(pk) OR device_id = :device")
                .expressionAttributeValues(Map.of(":device", Items.s(deviceId)))
                .build();
    }

    /** The session a token names in an app, if it exists, is active and has not expired at {@code now}. */
    public Optional<Session> findActive(String appId, String token, Instant now) {
        return find(Keys.session(appId, tokenHash(token)))
                .filter(r -> r.state().live())
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

        /**
         * The conditions failed; {@code current} is the item as it was, if any, and
         * {@code countedWindow} the minute its rate counter counts (null when none).
         */
        record Refused(Optional<SessionRecord> current, long windowEndsAt, Long countedWindow) implements Touch {}
    }

    /**
     * One conditional UpdateItem that both authenticates an update request and counts it in a
     * fixed one-minute window, so the rate limit costs no extra round trip and concurrent
     * requests cannot overshoot it. The session holds one counter ({@code rl_w}: the window,
     * {@code rl_n}: its count), so the item stays the same size however long it lives; the first
     * update of a new minute costs a second conditional write that restarts the counter.
     */
    public Touch touchForUpdate(String sessionKey, Instant now, int limitPerMinute) {
        long window = now.getEpochSecond() / 60;
        for (int attempt = 0; attempt < 3; attempt++) {
            ExpressionBuilder count = usableAt(now);
            count.condition(count.name("rl_w") + " = " + count.value(Items.n(window)));
            count.condition(count.name("rl_n") + " < " + count.value(Items.n(limitPerMinute)));
            count.add(count.name("rl_n"), Items.n(1));
            Touch counted = conditionalTouch(sessionKey, count, window);
            if (!(counted instanceof Touch.Refused refused) || refused.current().isEmpty()) {
                return counted;
            }
            SessionRecord current = refused.current().get();
            if (!isUsable(current, now) || Long.valueOf(window).equals(refused.countedWindow())) {
                return counted;
            }
            ExpressionBuilder restart = usableAt(now);
            String windowName = restart.name("rl_w");
            // Any other minute, older or newer: clocks of two function instances may straddle a minute's edge,
            // and a request must never be refused for another instance's minute.
            restart.condition("(attribute_not_exists(" + windowName + ") OR " + windowName + " <> " + restart.value(Items.n(window)) + ")");
            restart.set(windowName, Items.n(window));
            restart.set(restart.name("rl_n"), Items.n(1));
            Touch restarted = conditionalTouch(sessionKey, restart, window);
            if (restarted instanceof Touch.Allowed) {
                return restarted;
            }
            // Another request of this session opened the window first: count in it.
        }
        return new Touch.Refused(find(sessionKey), (window + 1) * 60, window);
    }

    private static ExpressionBuilder usableAt(Instant now) {
        ExpressionBuilder e = new ExpressionBuilder();
        String state = e.name("state");
        e.condition("attribute_exists(pk)");
        e.condition("(" + state + " = " + e.value(Items.s(SessionState.ACTIVE.name())) + " OR " + state + " = "
                + e.value(Items.s(SessionState.REFRESH_DUE.name())) + ")");
        e.condition(e.name("expires_at") + " > " + e.value(Items.n(now.getEpochSecond())));
        return e;
    }

    private static boolean isUsable(SessionRecord record, Instant now) {
        return record.state().live() && record.session().expiresAt().isAfter(now);
    }

    private Touch conditionalTouch(String sessionKey, ExpressionBuilder e, long window) {
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
            return new Touch.Refused(old.isEmpty() ? Optional.empty() : Optional.of(toRecord(old)), (window + 1) * 60,
                    Items.number(old, "rl_w"));
        }
    }

    /** Marks a session logged out (kept until its TTL so that a second logout can say so). False if there is none. */
    public boolean markLoggedOut(String sessionKey, Instant now) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(Items.key(sessionKey))
                    .updateExpression("SET #state = :out, logged_out_at = :now REMOVE notice_shard, notice_due_at")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(Map.of(":out", Items.s(SessionState.LOGGED_OUT.name()), ":now", Items.n(now.getEpochSecond())))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException absent) {
            return false;
        }
    }

    public static final String BY_USER_INDEX = "ByUser";

    /** The sessions of a person in every app of the domain (ByUser index), newest first. */
    public List<DueSession> sessionsOfUser(String domainId, String userId) {
        List<DueSession> found = new ArrayList<>();
        dynamo.queryPaginator(QueryRequest.builder().tableName(table).indexName(BY_USER_INDEX)
                .keyConditionExpression("user_key = :user")
                .expressionAttributeValues(Map.of(":user", Items.s(Keys.userSessions(domainId, userId))))
                .scanIndexForward(false)
                .build()).items().forEach(item -> found.add(new DueSession(Items.string(item, "pk"), toRecord(item))));
        return found;
    }

    public static String shard(int index) {
        return "due#" + index;
    }

    /** A page of sessions from one shard of the due-notice index, and the opaque cursor of the next one. */
    public record DuePage(List<DueSession> sessions, Optional<String> nextPage) {}

    public record DueSession(String key, SessionRecord record) {}

    /**
     * Sessions of a shard whose next notice is due at {@code now}, filtered on the state and the
     * expiry itself: TTL deletion lags by up to days, and an index entry alone proves nothing.
     */
    public DuePage queryDue(int shard, NoticeKind kind, Instant now, int limit, Optional<String> cursor) {
        Map<String, String> names = Map.of("#state", "state");
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":shard", Items.s(shard(shard)));
        values.put(":now", Items.n(now.getEpochSecond()));
        values.put(":active", Items.s(SessionState.ACTIVE.name()));
        String filter;
        if (kind == NoticeKind.REFRESH) {
            filter = "#state = :active AND expires_at > :now AND refresh_at <= :now";
        } else {
            values.put(":refreshDue", Items.s(SessionState.REFRESH_DUE.name()));
            filter = "(#state = :active OR #state = :refreshDue) AND expires_at <= :now";
        }
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).indexName(DUE_NOTICES_INDEX)
                .keyConditionExpression("notice_shard = :shard AND notice_due_at <= :now")
                .filterExpression(filter)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .limit(limit);
        cursor.ifPresent(page -> query.exclusiveStartKey(PageCursor.startKey(page)));
        QueryResponse response = dynamo.query(query.build());
        List<DueSession> due = response.items().stream()
                .map(item -> new DueSession(Items.string(item, "pk"), toRecord(item))).toList();
        return new DuePage(due, PageCursor.of(response.hasLastEvaluatedKey() ? response.lastEvaluatedKey() : Map.of()));
    }

    /**
     * Claims a due session for one run with a short lease. Only one of two overlapping runs can
     * hold it, so a notice is published once; a lease left by a crashed run expires and the next
     * run retries (at-least-once, with a stable event id).
     */
    public boolean claimNotice(String key, NoticeKind kind, String runId, Instant now, long leaseSeconds) {
        ExpressionBuilder e = new ExpressionBuilder();
        String state = e.name("state");
        String nowValue = e.value(Items.n(now.getEpochSecond()));
        e.set(e.name("claimed_by"), Items.s(runId));
        e.set(e.name("claim_until"), Items.n(now.getEpochSecond() + leaseSeconds));
        e.condition("attribute_exists(pk)");
        if (kind == NoticeKind.REFRESH) {
            e.condition(state + " = " + e.value(Items.s(SessionState.ACTIVE.name())));
            e.condition("expires_at > " + nowValue + " AND refresh_at <= " + nowValue);
        } else {
            e.condition("(" + state + " = " + e.value(Items.s(SessionState.ACTIVE.name())) + " OR " + state + " = "
                    + e.value(Items.s(SessionState.REFRESH_DUE.name())) + ")");
            e.condition("expires_at <= " + nowValue);
        }
        e.condition("(attribute_not_exists(claim_until) OR claim_until < " + nowValue + ")");
        return conditionalUpdate(key, e);
    }

    /** Marks the notice sent: the session's state moves on and the notice joins its list. */
    public boolean completeNotice(String key, NoticeKind kind, String runId, String eventId, Instant now, Instant expiresAt) {
        ExpressionBuilder e = new ExpressionBuilder();
        e.set(e.name("state"), Items.s((kind == NoticeKind.REFRESH ? SessionState.REFRESH_DUE : SessionState.EXPIRED).name()));
        e.append(e.name("notices"), List.of(Items.m(Map.of(
                "type", Items.s(kind.eventName()),
                "event_id", Items.s(eventId),
                "at", Items.n(now.getEpochSecond())))));
        if (kind == NoticeKind.REFRESH) {
            // The next notice this session is due for is its expiry.
            e.set(e.name("notice_due_at"), Items.n(expiresAt.getEpochSecond()));
        } else {
            e.remove(e.name("notice_shard"));
            e.remove(e.name("notice_due_at"));
        }
        e.remove(e.name("claimed_by"));
        e.remove(e.name("claim_until"));
        e.condition(e.name("claimed_by") + " = " + e.value(Items.s(runId)));
        return conditionalUpdate(key, e);
    }

    /** Gives a claim back after a failed publish, so that the next run retries at once. */
    public boolean releaseNotice(String key, String runId) {
        ExpressionBuilder e = new ExpressionBuilder();
        e.remove(e.name("claimed_by"));
        e.remove(e.name("claim_until"));
        e.condition(e.name("claimed_by") + " = " + e.value(Items.s(runId)));
        return conditionalUpdate(key, e);
    }

    private boolean conditionalUpdate(String key, ExpressionBuilder e) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(Items.key(key))
                    .updateExpression(e.updateExpression())
                    .conditionExpression(e.conditionExpression())
                    .expressionAttributeNames(e.names())
                    .expressionAttributeValues(e.values())
                    .build());
            return true;
        } catch (ConditionalCheckFailedException notNow) {
            return false;
        }
    }

    private static Instant epoch(Map<String, AttributeValue> item, String name) {
        Long value = Items.number(item, name);
        return value == null ? null : Instant.ofEpochSecond(value);
    }

    static SessionRecord toRecord(Map<String, AttributeValue> item) {
        Session session = new Session(
                Items.string(item, "session_id"),
                Items.string(item, "app_id"),
                Items.string(item, "domain_id"),
                Items.string(item, "user_id"),
                Items.string(item, "device_id"),
                epoch(item, "created_at"),
                epoch(item, "expires_at"),
                epoch(item, "refresh_at"),
                Items.flag(item, "anonymous"),
                Items.flag(item, "full_privacy"));
        List<SessionRecord.Notice> notices = new ArrayList<>();
        AttributeValue list = item.get("notices");
        if (list != null && list.hasL()) {
            for (AttributeValue n : list.l()) {
                notices.add(new SessionRecord.Notice(Items.string(n.m(), "type"), Items.string(n.m(), "event_id"),
                        Instant.ofEpochSecond(Items.number(n.m(), "at"))));
            }
        }
        String state = Items.string(item, "state");
        return new SessionRecord(session, state == null ? SessionState.ACTIVE : SessionState.valueOf(state), notices);
    }
}
