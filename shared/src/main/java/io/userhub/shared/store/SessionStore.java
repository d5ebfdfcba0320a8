package io.userhub.shared.store;

import io.userhub.shared.port.Sessions;
import io.userhub.shared.port.Sessions.KeyedSession;
import io.userhub.shared.port.Sessions.Touch;

import io.userhub.shared.port.LoginStore;

import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.model.Session;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import io.userhub.shared.model.DeviceState;
import io.userhub.shared.model.SessionKey;
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
 * The sessions table: one item per device of an app, holding the device's one session. Sessions
 * carry their next notice time in a sparse, sharded index (DueSessions) and a TTL a day past expiry.
 */
@WritesItems(ItemType.DEVICE)
public final class SessionStore implements Sessions, io.userhub.shared.port.DueNotices {
    /** The device's item in the sessions table ({@code S#<app>#DEV#<sha256(device id)>}): its one session and what userhub remembers of it. */
    public static String deviceKey(String appId, String deviceId) {
        return deviceKeyOfDigest(appId, io.userhub.shared.crypto.Hashing.sha256Hex(deviceId));
    }

    /** The key of the device's item that holds a session token's session. */
    public static String itemKey(SessionKey key) {
        return deviceKeyOfDigest(key.appId(), key.deviceDigest());
    }

    public static String deviceKeyOfDigest(String appId, String deviceDigest) {
        return "S#" + appId + "#DEV#" + deviceDigest;
    }

    /**
     * Shards of the due-notice index, so one hot partition never holds every due session. The
     * shards are global (not per app) so that a notifier finds every app's due sessions by
     * querying 16 partitions, without a list of apps and without a Scan.
     */
    public static final int NOTICE_SHARDS = 16;

    @Override
    public int shards() {
        return NOTICE_SHARDS;
    }
    /**
     * The sparse, sharded index of sessions by their next notice time. It projects only what the
     * notifier reads, so the writes that count a session's requests (its rate counter) touch no index.
     */
    public static final String DUE_INDEX = "DueSessions";
    private static final String DUE_SHARD = "due_shard";
    private static final String DUE_AT = "due_at";
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

    /** A device is forgotten (its anonymous user with it) 90 days after its last login. */
    public static final java.time.Duration DEVICE_RETENTION = java.time.Duration.ofDays(90);

    /**
     * Installs a new session on the device's item, replacing the one it held: one write however
     * the device was used before. The condition on the version read by the login is what makes a
     * concurrent login for the same device fail (LOGIN_IN_PROGRESS); with {@code ownerOnly} the
     * item must also still belong to the user (a returning login that writes nothing else: an
     * erase that deleted the item meanwhile makes it fail).
     */
    public ExpressionBuilder installSession(Session session, SessionKey key, DeviceState previous, String anonymousUserId,
                                            String loginDigest, boolean ownerOnly) {
        return installSession(session, key, previous, anonymousUserId, loginDigest, ownerOnly, java.util.Optional.empty());
    }

    /**
     * @param anonymousExpiry for an anonymous login: the device's item lives until then (not the
     *                        identified devices' 90 days), and remembers the profile's expiry when
     *                        this login set or pushed it
     */
    public ExpressionBuilder installSession(Session session, SessionKey key, DeviceState previous, String anonymousUserId,
                                            String loginDigest, boolean ownerOnly,
                                            java.util.Optional<LoginStore.AnonymousExpiry> anonymousExpiry) {
        ExpressionBuilder e = new ExpressionBuilder();
        long start = session.createdAt().getEpochSecond();
        e.set(e.name("secret_hash"), Items.s(key.secretHash()));
        e.set(e.name("version"), Items.n(previous.version() + 1));
        e.set(e.name("session_id"), Items.s(session.sessionId()));
        e.set(e.name("app_id"), Items.s(session.appId()));
        e.set(e.name("domain_id"), Items.s(session.domainId()));
        e.set(e.name("user_id"), Items.s(session.userId()));
        e.set(e.name("device_id"), Items.s(session.deviceId()));
        e.set(e.name("state"), Items.s(SessionState.ACTIVE.name()));
        e.set(e.name("anonymous"), Items.bool(session.anonymous()));
        e.set(e.name("full_privacy"), Items.bool(session.fullPrivacy()));
        e.set(e.name("created_at"), Items.n(start));
        e.set(e.name("expires_at"), Items.n(session.expiresAt().getEpochSecond()));
        e.set(e.name("refresh_at"), Items.n(session.refreshAt().getEpochSecond()));
        // The shard follows the device, so a device's entry stays in its shard from one session to the next.
        e.set(e.name(DUE_SHARD), Items.s(shard(Math.floorMod(itemKey(key).hashCode(), NOTICE_SHARDS))));
        e.set(e.name(DUE_AT), Items.n(session.refreshAt().getEpochSecond()));
        long kept = anonymousExpiry.map(LoginStore.AnonymousExpiry::expiresAt).orElse(start + DEVICE_RETENTION.toSeconds());
        e.set(e.name("ttl"), Items.n(Math.max(ttlOf(session), kept)));
        boolean profileExpirySet = anonymousExpiry.isPresent()
                && (anonymousExpiry.get().extendProfile() || !previous.ownedBy(session.userId()));
        // The rate counter starts in the login's minute, so that minute's updates count in one write.
        e.set(e.name("rl_w"), Items.n(io.userhub.shared.session.UpdateRateLimit.windowOf(java.time.Instant.ofEpochSecond(start))));
        e.set(e.name("rl_n"), Items.n(0));
        if (anonymousUserId == null) {
            e.remove(e.name("anon_user_id"));
            e.remove(e.name("anon_ttl"));
        } else {
            e.set(e.name("anon_user_id"), Items.s(anonymousUserId));
            if (profileExpirySet) {
                e.set(e.name("anon_ttl"), Items.n(anonymousExpiry.get().expiresAt()));
            }
        }
        if (loginDigest == null) {
            e.remove(e.name("login_digest"));
        } else {
            e.set(e.name("login_digest"), Items.s(loginDigest));
        }
        // What belonged to the session this one replaces.
        for (String stale : List.of("notices", "claimed_by", "claim_until", "logged_out_at")) {
            e.remove(e.name(stale));
        }
        if (previous.exists()) {
            e.condition(e.name("version") + " = " + e.value(Items.n(previous.version())));
        } else {
            e.condition("attribute_not_exists(pk)");
        }
        if (ownerOnly) {
            e.condition(e.name("user_id") + " = " + e.value(Items.s(session.userId())));
        }
        return e;
    }

    public Update installSessionInTransaction(ExpressionBuilder install, String sessionKey) {
        return install.toUpdate(table, Items.key(sessionKey));
    }

    /** The version the device's item holds now, if any: what a refused {@link #installSessionNow} finds. */
    public sealed interface Install {
        record Installed() implements Install {}

        record Refused(Optional<DeviceState> current) implements Install {}
    }

    public Install installSessionNow(ExpressionBuilder install, String sessionKey) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(Items.key(sessionKey))
                    .updateExpression(install.updateExpression())
                    .conditionExpression(install.conditionExpression())
                    .expressionAttributeNames(install.names())
                    .expressionAttributeValues(install.values())
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build());
            return new Install.Installed();
        } catch (ConditionalCheckFailedException refused) {
            return new Install.Refused(refused.hasItem() && !refused.item().isEmpty()
                    ? Optional.of(deviceState(refused.item())) : Optional.empty());
        }
    }

    /** The device part of a device's item. */
    public static DeviceState deviceState(Map<String, AttributeValue> item) {
        return item == null || item.isEmpty() ? DeviceState.absent() : new DeviceState(true,
                Items.number(item, "version") == null ? 0 : Items.number(item, "version"),
                Items.string(item, "anon_user_id"),
                Items.string(item, "user_id"),
                Items.string(item, "login_digest"),
                Items.number(item, "anon_ttl") == null ? 0 : Items.number(item, "anon_ttl"));
    }

    /** When DynamoDB may delete a session item: a day past its expiry. */
    public static long ttlOf(Session session) {
        return session.expiresAt().getEpochSecond() + TTL_GRACE_SECONDS;
    }

    /**
     * Deletes a session item if it still belongs to the user (erase): a device's item that a
     * later login gave to someone else stays theirs.
     *
     * @return whether there was one to delete
     */
    @Override
    public boolean deleteSessionOfUser(String sessionKey, String userId) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(Items.key(sessionKey))
                    .conditionExpression("user_id = :user")
                    .expressionAttributeValues(Map.of(":user", Items.s(userId))));
            return true;
        } catch (ConditionalCheckFailedException goneOrSomeoneElses) {
            return false;
        }
    }

    /** The session a token names, whatever its state, if the token proves it. */
    @Override
    public Optional<SessionRecord> find(SessionKey key) {
        return findItem(itemKey(key)).filter(item -> proves(key, item)).map(SessionStore::toRecord);
    }

    /** The token's session if it is live and not expired at {@code now}. */
    public Optional<Session> findActive(SessionKey key, Instant now) {
        return find(key).filter(r -> r.state().live()).map(SessionRecord::session).filter(s -> s.expiresAt().isAfter(now));
    }

    private Optional<Map<String, AttributeValue>> findItem(String sessionKey) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(Items.key(sessionKey)).consistentRead(true).build()).item();
        return item == null || item.isEmpty() || !item.containsKey("session_id") ? Optional.empty() : Optional.of(item);
    }

    /** The sessions behind these keys that belong to the user (one BatchGetItem per 100 keys), newest first. */
    @Override
    public List<KeyedSession> sessionsOfUser(List<String> sessionKeys, String userId) {
        List<KeyedSession> found = new ArrayList<>();
        BatchReads.byPk(dynamo, table, sessionKeys.stream().map(Items::key).toList(), true).values().stream()
                .filter(item -> userId.equals(Items.string(item, "user_id")) && item.containsKey("session_id"))
                .forEach(item -> found.add(new KeyedSession(Items.string(item, "pk"), toRecord(item))));
        found.sort(java.util.Comparator.comparing((KeyedSession s) -> s.record().session().createdAt(),
                java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())).reversed());
        return found;
    }

    /** A token proves its session by its secret, whose digest the device's item holds. */
    private static boolean proves(SessionKey key, Map<String, AttributeValue> item) {
        String stored = Items.string(item, "secret_hash");
        return stored != null && Hashing.sameDigest(stored, key.secretHash());
    }

    private static void requireProof(ExpressionBuilder e, SessionKey key) {
        String secret = e.name("secret_hash");
        e.condition(secret + " = " + e.value(Items.s(key.secretHash())));
    }

    /**
     * One conditional UpdateItem that both authenticates an update request and counts it in a
     * fixed one-minute window, so the rate limit costs no extra round trip and concurrent
     * requests cannot overshoot it. The session holds one counter ({@code rl_w}: the window,
     * {@code rl_n}: its count), so the item stays the same size however long it lives; the first
     * update of a new minute costs a second conditional write that restarts the counter
     * ({@link io.userhub.shared.session.UpdateRateLimit} is the rule these conditions apply).
     *
     * @param revokedBefore sessions created before this instant (epoch s) are revoked: their touch is refused, nothing written
     */
    @Override
    public Touch touchForUpdate(SessionKey key, Instant now, int limitPerMinute, long revokedBefore) {
        String sessionKey = itemKey(key);
        long window = io.userhub.shared.session.UpdateRateLimit.windowOf(now);
        for (int attempt = 0; attempt < 3; attempt++) {
            ExpressionBuilder count = usableAt(key, now, revokedBefore);
            count.condition(count.name("rl_w") + " = " + count.value(Items.n(window)));
            count.condition(count.name("rl_n") + " < " + count.value(Items.n(limitPerMinute)));
            count.add(count.name("rl_n"), Items.n(1));
            Touch counted = conditionalTouch(key, count, window);
            if (!(counted instanceof Touch.Refused refused) || refused.current().isEmpty()) {
                return counted;
            }
            SessionRecord current = refused.current().get();
            boolean revoked = current.session().createdAt().getEpochSecond() < revokedBefore;
            if (revoked || !isUsable(current, now) || Long.valueOf(window).equals(refused.countedWindow())) {
                return counted;
            }
            ExpressionBuilder restart = usableAt(key, now, revokedBefore);
            String windowName = restart.name("rl_w");
            // Any other minute, older or newer: clocks of two function instances may straddle a minute's edge,
            // and a request must never be refused for another instance's minute.
            restart.condition("(attribute_not_exists(" + windowName + ") OR " + windowName + " <> " + restart.value(Items.n(window)) + ")");
            restart.set(windowName, Items.n(window));
            restart.set(restart.name("rl_n"), Items.n(1));
            Touch restarted = conditionalTouch(key, restart, window);
            if (restarted instanceof Touch.Allowed) {
                return restarted;
            }
            // Another request of this session opened the window first: count in it.
        }
        return new Touch.Refused(find(key), io.userhub.shared.session.UpdateRateLimit.windowEndsAt(window), window);
    }

    private static ExpressionBuilder usableAt(SessionKey key, Instant now, long revokedBefore) {
        ExpressionBuilder e = new ExpressionBuilder();
        if (revokedBefore > 0) {
            e.condition(e.name("created_at") + " >= " + e.value(Items.n(revokedBefore)));
        }
        String state = e.name("state");
        e.condition("attribute_exists(pk)");
        requireProof(e, key);
        e.condition("(" + state + " = " + e.value(Items.s(SessionState.ACTIVE.name())) + " OR " + state + " = "
                + e.value(Items.s(SessionState.REFRESH_DUE.name())) + ")");
        e.condition(e.name("expires_at") + " > " + e.value(Items.n(now.getEpochSecond())));
        return e;
    }

    private static boolean isUsable(SessionRecord record, Instant now) {
        return record.state().live() && record.session().expiresAt().isAfter(now);
    }

    private Touch conditionalTouch(SessionKey key, ExpressionBuilder e, long window) {
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(UpdateItemRequest.builder().tableName(table)
                    .key(Items.key(itemKey(key)))
                    .updateExpression(e.updateExpression())
                    .conditionExpression(e.conditionExpression())
                    .expressionAttributeNames(e.names())
                    .expressionAttributeValues(e.values())
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build()).attributes();
            return new Touch.Allowed(toRecord(item));
        } catch (ConditionalCheckFailedException refused) {
            Map<String, AttributeValue> found = refused.hasItem() ? refused.item() : Map.of();
            // An item the token does not prove (another secret, or a device with no session) is no session of this token.
            Map<String, AttributeValue> old = !found.isEmpty() && found.containsKey("session_id") && proves(key, found) ? found : Map.of();
            return new Touch.Refused(old.isEmpty() ? Optional.empty() : Optional.of(toRecord(old)),
                    io.userhub.shared.session.UpdateRateLimit.windowEndsAt(window),
                    Items.number(old, "rl_w"));
        }
    }

    /** Marks the token's session logged out (kept so that a second logout can say so). False if the token names none. */
    /**
     * @return the session as it was before (ReturnValues ALL_OLD: no extra capacity), so the
     *         caller can tell a live session's end from a repeated logout; empty when the token
     *         does not prove this item's session
     */
    @Override
    public Optional<SessionRecord> markLoggedOut(SessionKey key, Instant now) {
        ExpressionBuilder e = loggedOut(now);
        requireProof(e, key);
        try {
            Map<String, AttributeValue> before = dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(Items.key(itemKey(key)))
                    .updateExpression(e.updateExpression())
                    .conditionExpression(e.conditionExpression())
                    .expressionAttributeNames(e.names())
                    .expressionAttributeValues(e.values())
                    .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_OLD)
                    .build()).attributes();
            return Optional.of(toRecord(before));
        } catch (ConditionalCheckFailedException notThisSession) {
            return Optional.empty();
        }
    }

    /** Ends a session of the user found through its pointers (server routes); false if it is no longer theirs. */
    @Override
    public boolean endSessionOfUser(String sessionKey, String userId, Instant now) {
        ExpressionBuilder e = loggedOut(now);
        e.condition(e.name("user_id") + " = " + e.value(Items.s(userId)));
        return conditionalUpdate(sessionKey, e);
    }

    /**
     * Logged out: out of the due-notice index, nothing else changes, so the write costs the item
     * and one index deletion. The device part of the item (its anonymous user) stays.
     */
    private static ExpressionBuilder loggedOut(Instant now) {
        ExpressionBuilder e = new ExpressionBuilder();
        e.set(e.name("state"), Items.s(SessionState.LOGGED_OUT.name()));
        e.set(e.name("logged_out_at"), Items.n(now.getEpochSecond()));
        e.remove(e.name(DUE_SHARD));
        e.remove(e.name(DUE_AT));
        e.condition("attribute_exists(" + e.name("session_id") + ")");
        return e;
    }

    public static String shard(int index) {
        return "due#" + index;
    }



    /**
     * Sessions of a shard whose next notice is due at {@code now}, filtered on the state and the
     * expiry itself: TTL deletion lags by up to days, and an index entry alone proves nothing.
     */
    @Override
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
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).indexName(DUE_INDEX)
                .keyConditionExpression(DUE_SHARD + " = :shard AND " + DUE_AT + " <= :now")
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
    @Override
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
    @Override
    public boolean completeNotice(DueSession due, NoticeKind kind, String runId, String eventId, Instant now) {
        ExpressionBuilder e = new ExpressionBuilder();
        e.set(e.name("state"), Items.s((kind == NoticeKind.REFRESH ? SessionState.REFRESH_DUE : SessionState.EXPIRED).name()));
        e.append(e.name("notices"), List.of(Items.m(Map.of(
                "type", Items.s(kind.eventName()),
                "event_id", Items.s(eventId),
                "at", Items.n(now.getEpochSecond())))));
        if (kind == NoticeKind.REFRESH) {
            // The next notice this session is due for is its expiry.
            e.set(e.name(DUE_AT), Items.n(due.record().session().expiresAt().getEpochSecond()));
        } else {
            e.remove(e.name(DUE_SHARD));
            e.remove(e.name(DUE_AT));
        }
        e.remove(e.name("claimed_by"));
        e.remove(e.name("claim_until"));
        e.condition(e.name("claimed_by") + " = " + e.value(Items.s(runId)));
        return conditionalUpdate(due.key(), e);
    }

    /** Gives a claim back after a failed publish, so that the next run retries at once. */
    @Override
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
