package io.userhub.shared.store;

import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.model.Claim;
import io.userhub.shared.model.DeviceState;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.LoginState;
import io.userhub.shared.model.Profile;
import io.userhub.shared.model.StoredIdentity;
import io.userhub.shared.model.UserDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The users table: profiles, identity claims, devices, security-hash pins and used jtis.
 * Its items' reads and writes; the login's transaction across both tables is assembled by {@link LoginStore}.
 */
public final class UserStore {
    private final DynamoDbClient dynamo;
    private final String table;

    public UserStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public String table() {
        return table;
    }

    /** The claims of the given identities only (adding identities to a logged-in user). */
    public LoginState readClaims(String domainId, List<Identity> identities) {
        Map<String, Claim> claims = new HashMap<>();
        if (!identities.isEmpty()) {
            List<Map<String, AttributeValue>> keys = identities.stream()
                    .map(i -> Items.key(Keys.claim(domainId, i), Keys.CLAIM)).distinct().toList();
            Map<String, Map<String, AttributeValue>> found = batchGet(keys);
            for (Identity identity : identities) {
                Map<String, AttributeValue> item = found.get(Keys.claim(domainId, identity));
                if (item != null) {
                    claims.put(identity.profileKey(), new Claim(Items.string(item, "user_id"), Items.number(item, "asserted_at")));
                }
            }
        }
        return new LoginState(claims, DeviceState.absent(), Optional.empty());
    }

    private Map<String, Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys) {
        return BatchReads.byPk(dynamo, table, keys, true);
    }

    public Optional<Claim> findClaim(String domainId, Identity identity) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(Items.key(Keys.claim(domainId, identity), Keys.CLAIM)).consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? Optional.empty()
                : Optional.of(new Claim(Items.string(item, "user_id"), Items.number(item, "asserted_at")));
    }

    /** The profile item and every app item of a user: one Query on the user's partition. */
    private List<Map<String, AttributeValue>> userPartition(String domainId, String userId) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamo.queryPaginator(software.amazon.awssdk.services.dynamodb.model.QueryRequest.builder().tableName(table)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", Items.s(Keys.profile(domainId, userId))))
                .consistentRead(true)
                .build()).items().forEach(items::add);
        return items;
    }

    /**
     * An anonymous user whose profile and app items the MERGE policy carries into an identified
     * user; what it holds is the store's business (the login passes it back unopened).
     */
    public record MergeableAnonymous(String userId, Map<String, AttributeValue> profile, List<Map<String, AttributeValue>> appItems) {}

    /** The anonymous user's profile and app items (one Query), if it can still be merged: anonymous, not merged, not erased. */
    public Optional<MergeableAnonymous> mergeableAnonymous(String domainId, String anonymousUserId) {
        List<Map<String, AttributeValue>> items = userPartition(domainId, anonymousUserId);
        Optional<Map<String, AttributeValue>> profile = items.stream().filter(item -> Keys.PROFILE.equals(Items.string(item, "sk"))
                && Items.flag(item, "anonymous") && Items.string(item, "merged_into") == null
                && !item.containsKey("erased_at")).findFirst();
        // Session pointers stay with the anonymous user.
        return profile.map(p -> new MergeableAnonymous(anonymousUserId, p, items.stream()
                .filter(item -> Items.string(item, "sk").startsWith(AttributeStore.APP_ITEM_PREFIX))
                .toList()));
    }

    /** Every item of a user's partition (profile, app items, pointers, merge lineages), one strongly consistent Query. */
    public List<Map<String, AttributeValue>> partitionItems(String domainId, String userId) {
        return userPartition(domainId, userId);
    }

    /** A user's partition, read with one strongly consistent Query; empty when there is no profile. */
    public Optional<UserDetails.Partition> readPartition(String domainId, String userId) {
        List<Map<String, AttributeValue>> items = userPartition(domainId, userId);
        Map<String, AttributeValue> profile = null;
        Map<String, UserDetails.AppData> appData = new HashMap<>();
        List<String> sessionKeys = new ArrayList<>();
        List<String> appItems = new ArrayList<>();
        List<String> pointers = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) {
            String sk = Items.string(item, "sk");
            if (Keys.PROFILE.equals(sk)) {
                profile = item;
            } else if (sk.startsWith(SESSION_POINTER_PREFIX)) {
                sessionKeys.add(Items.string(item, "session_key"));
                pointers.add(sk);
            } else {
                appItems.add(sk);
                if (sk.startsWith(AttributeStore.APP_ITEM_PREFIX)) {
                    appData.put(sk.substring(AttributeStore.APP_ITEM_PREFIX.length()), toAppData(item));
                }
            }
        }
        return profile == null ? Optional.empty()
                : Optional.of(new UserDetails.Partition(toDetails(profile), appData, sessionKeys, appItems, pointers));
    }

    private static UserDetails toDetails(Map<String, AttributeValue> item) {
        List<UserDetails.HistoryEntry> history = new ArrayList<>();
        AttributeValue list = item.get("identity_history");
        if (list != null && list.hasL()) {
            for (AttributeValue entry : list.l()) {
                Map<String, AttributeValue> m = entry.m();
                history.add(new UserDetails.HistoryEntry(Items.string(m, "action"), Items.string(m, "identifier"),
                        Items.string(m, "value"), Items.string(m, "other_user_id"), Items.number(m, "at")));
            }
        }
        return new UserDetails(Items.string(item, "user_id"), Items.flag(item, "anonymous"), Items.string(item, "display_name"),
                Items.number(item, "created_at"), Items.number(item, "last_login_at"), Items.string(item, "merged_into"),
                toProfile(item).identities(), history, plain(Items.map(item, "global")), plain(Items.map(item, "global_cuf")),
                new TreeSet<>(Items.map(item, "tags").keySet()), plain(Items.map(item, "fields")),
                Set.copyOf(Items.map(item, "pins").keySet()),
                Items.map(item, UNVERIFIED_IDENTITIES).values().stream().map(v -> toStoredIdentity(v.m())).toList());
    }

    private static UserDetails.AppData toAppData(Map<String, AttributeValue> item) {
        TreeMap<String, String> attributes = new TreeMap<>();
        TreeMap<String, String> customFields = new TreeMap<>();
        item.forEach((name, value) -> {
            if (name.startsWith("a:")) attributes.put(name.substring(2), value.s());
            if (name.startsWith("cuf:")) customFields.put(name.substring(4), value.s());
        });
        return new UserDetails.AppData(attributes, customFields);
    }

    private static TreeMap<String, Object> plain(Map<String, AttributeValue> values) {
        TreeMap<String, Object> plain = new TreeMap<>();
        values.forEach((k, v) -> plain.put(k, v.s() != null ? v.s() : v.n() != null ? (Object) Long.parseLong(v.n()) : v.bool()));
        return plain;
    }

    /** Deletes the identity's claim if it is still this user's. */
    public boolean releaseClaim(String domainId, Identity identity, String userId) {
        return deleteIf(Items.key(Keys.claim(domainId, identity), Keys.CLAIM), "user_id = :user", Map.of(":user", Items.s(userId)));
    }

    /**
     * Leaves the digest of an erased identity (never its value) until {@code until}, so that an
     * import of the same identity can report that it was erased. One PutItem; TTL removes it.
     */
    public void leaveErasedTombstone(String domainId, Identity identity, long now, long until) {
        dynamo.putItem(b -> b.tableName(table).item(Map.of(
                "pk", Items.s(Keys.erasedIdentity(domainId, identity)),
                "sk", Items.s(Keys.ERASED),
                "identifier", Items.s(identity.identifier()),
                "erased_at", Items.n(now),
                "ttl", Items.n(until))));
    }

    /** When each of these identities was last erased, if its tombstone is still kept at {@code now} (by profile key). */
    public Map<String, Long> erasedAt(String domainId, List<Identity> identities, long now) {
        Map<String, Long> erased = new HashMap<>();
        Map<String, Map<String, AttributeValue>> found = batchGet(identities.stream()
                .map(i -> Items.key(Keys.erasedIdentity(domainId, i), Keys.ERASED)).toList());
        for (Identity identity : identities) {
            Map<String, AttributeValue> item = found.get(Keys.erasedIdentity(domainId, identity));
            Long ttl = item == null ? null : Items.number(item, "ttl");
            if (item != null && (ttl == null || ttl > now)) {
                erased.put(identity.profileKey(), Items.number(item, "erased_at"));
            }
        }
        return erased;
    }

    /**
     * Deletes the user id's pin when it is the erased profile's: a pin a login set (no profile
     * named), or the import's pin of this very profile. The import's pin of another profile with
     * the same user id value (the verified twin of an unverified profile) stays.
     *
     * @return whether there was such a pin to delete
     */
    public boolean deletePin(String appId, String userIdValue, String userId) {
        return deleteIf(Items.key(Keys.pin(appId, userIdValue), Keys.PIN),
                "attribute_exists(pk) AND (attribute_not_exists(profile_user_id) OR profile_user_id = :user)",
                Map.of(":user", Items.s(userId)));
    }

    /** Deletes one non-profile item of a user's partition (an app item or a session pointer); whether it was there. */
    public boolean deletePartitionItem(String domainId, String userId, String sortKey) {
        if (Keys.PROFILE.equals(sortKey)) {
            throw new IllegalArgumentException("the profile goes with deleteProfile");
        }
        return deleteIf(Items.key(Keys.profile(domainId, userId), sortKey), "attribute_exists(pk)", null);
    }

    public boolean deleteProfile(String domainId, String userId) {
        return deleteIf(profileKey(domainId, userId), "attribute_exists(pk)", null);
    }

    /** Deletes an item if the condition holds; false when it did not (or the item was gone). */
    private boolean deleteIf(Map<String, AttributeValue> key, String condition, Map<String, AttributeValue> values) {
        try {
            var request = software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest.builder().tableName(table).key(key)
                    .conditionExpression(condition);
            if (values != null && !values.isEmpty()) {
                request.expressionAttributeValues(values);
            }
            dynamo.deleteItem(request.build());
            return true;
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException notThere) {
            return false;
        }
    }

    /** A profile's user-record fields (user-id mode, import) and global custom fields. */
    public record UserFields(Map<String, String> fields, Map<String, String> customFields) {}

    /** The fields of many users' profiles (BatchGetItem, 100 keys a call), keyed by user id. */
    public Map<String, UserFields> findUserFields(String domainId, List<String> userIds) {
        Map<String, UserFields> byUser = new HashMap<>();
        findProfileItems(domainId, userIds).forEach((userId, item) -> byUser.put(userId,
                new UserFields(strings(Items.map(item, "fields")), strings(Items.map(item, "global_cuf")))));
        return byUser;
    }

    private static Map<String, String> strings(Map<String, AttributeValue> values) {
        Map<String, String> strings = new HashMap<>();
        values.forEach((k, v) -> {
            if (v.s() != null) {
                strings.put(k, v.s());
            }
        });
        return strings;
    }

    private static Map<String, AttributeValue> values(Map<String, String> strings) {
        Map<String, AttributeValue> values = new HashMap<>();
        strings.forEach((k, v) -> values.put(k, Items.s(v)));
        return values;
    }

    /**
     * A verified user made by the import: the profile and its uid claim in one transaction.
     *
     * @return false when the uid was claimed meanwhile (nothing was written)
     */
    public boolean createImportedUser(String domainId, String userId, Identity uid, String displayName, UserFields fields, long now) {
        Map<String, AttributeValue> extra = new HashMap<>();
        extra.put("fields", Items.m(values(fields.fields())));
        extra.put("global_cuf", Items.m(values(fields.customFields())));
        return commitWaitingOutConflicts(new Transaction()
                .put(Guard.PROFILE, newProfile(domainId, userId, false, displayName, List.of(StoredIdentity.of(uid, now)), extra, now))
                .put(Guard.CLAIM, newClaim(domainId, uid, userId, now)));
    }

    private static final int CONFLICT_ATTEMPTS = 4;

    /**
     * Commits, waiting out a transaction still in flight on the same items (its outcome decides).
     *
     * @return false when a condition refused it, or the conflict outlasted the attempts
     */
    private boolean commitWaitingOutConflicts(Transaction tx) {
        for (int attempt = 1; ; attempt++) {
            try {
                tx.commit(dynamo);
                return true;
            } catch (GuardFailedException refused) {
                if (!refused.conflict() || attempt == CONFLICT_ATTEMPTS) {
                    return false;
                }
                pauseAfterConflict(attempt);
            }
        }
    }

    private static void pauseAfterConflict(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(10, 30L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sets only the fields that differ, under a condition that one still differs, so that a
     * re-run of the same import writes nothing; {@code name} also becomes the display name.
     *
     * @return false when nothing differed (or the profile is gone or being erased)
     */
    public boolean updateUserFields(String domainId, String userId, UserFields fields, long now) {
        ExpressionBuilder e = profileUpdate();
        List<String> differs = new ArrayList<>();
        fields.fields().forEach((field, value) -> setIfDifferent(e, differs, e.path("fields", field), value));
        fields.customFields().forEach((field, value) -> setIfDifferent(e, differs, e.path("global_cuf", field), value));
        if (differs.isEmpty()) {
            return false;
        }
        if (fields.fields().containsKey("name")) {
            e.set(e.name("display_name"), Items.s(fields.fields().get("name")));
        }
        e.condition("(" + String.join(" OR ", differs) + ")");
        e.set(e.name("updated_at"), Items.n(now));
        var update = e.toUpdate(table, profileKey(domainId, userId));
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.updateItem(software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest.builder().tableName(update.tableName())
                        .key(update.key()).updateExpression(update.updateExpression()).conditionExpression(update.conditionExpression())
                        .expressionAttributeNames(update.expressionAttributeNames())
                        .expressionAttributeValues(update.expressionAttributeValues()).build());
                return true;
            } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException sameOrGone) {
                return false;
            } catch (software.amazon.awssdk.services.dynamodb.model.TransactionConflictException inFlight) {
                // Another request's transaction on the profile (a login, a concurrent import of the same file).
                if (attempt == CONFLICT_ATTEMPTS) {
                    throw inFlight;
                }
                pauseAfterConflict(attempt);
            }
        }
    }

    private static void setIfDifferent(ExpressionBuilder e, List<String> differs, String path, String value) {
        differs.add("(attribute_not_exists(" + path + ") OR " + path + " <> " + e.value(Items.s(value)) + ")");
        e.set(path, Items.s(value));
    }

    /** Profile items of many users (BatchGetItem, 100 keys a call), keyed by user id. */
    private Map<String, Map<String, AttributeValue>> findProfileItems(String domainId, List<String> userIds) {
        Map<String, Map<String, AttributeValue>> byUser = new HashMap<>();
        batchGet(userIds.stream().map(id -> Items.key(Keys.profile(domainId, id), Keys.PROFILE)).toList()).values()
                .forEach(item -> byUser.put(Items.string(item, "user_id"), item));
        return byUser;
    }

    public Optional<Profile> findProfile(String domainId, String userId) {
        return findProfile(domainId, userId, true);
    }

    /** @param consistent false for a view that may lag its last write by a moment, at half the read's price */
    public Optional<Profile> findProfile(String domainId, String userId, boolean consistent) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(Items.key(Keys.profile(domainId, userId), Keys.PROFILE)).consistentRead(consistent).build()).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toProfile(item));
    }


    public static Profile toProfile(Map<String, AttributeValue> item) {
        List<StoredIdentity> identities = new ArrayList<>();
        Items.map(item, "identities").values().forEach(v -> identities.add(toStoredIdentity(v.m())));
        return new Profile(Items.string(item, "user_id"), Items.flag(item, "anonymous"),
                Items.string(item, "display_name"), identities, Items.string(item, "merged_into"));
    }

    private static StoredIdentity toStoredIdentity(Map<String, AttributeValue> m) {
        Map<String, String> metadata = new LinkedHashMap<>();
        Items.map(m, "metadata").forEach((k, v) -> metadata.put(k, v.s()));
        return new StoredIdentity(Items.string(m, "identifier"), Items.string(m, "value"), metadata, Items.number(m, "asserted_at"));
    }

    /**
     * The profile's map of identities a token said are unverified (email, phone number): kept so
     * the profile shows them, with no claim, so they never resolve, move or merge anything.
     */
    public static final String UNVERIFIED_IDENTITIES = "unverified_identities";

    public static AttributeValue identityItem(StoredIdentity identity) {
        Map<String, AttributeValue> metadata = new HashMap<>();
        identity.metadata().forEach((k, v) -> metadata.put(k, Items.s(v)));
        return Items.m(Map.of(
                "identifier", Items.s(identity.identifier()),
                "value", Items.s(identity.value()),
                "metadata", Items.m(metadata),
                "asserted_at", Items.n(identity.assertedAt())));
    }

    // ---- transaction items -------------------------------------------------------------

    public Put newProfile(String domainId, String userId, boolean anonymous, String displayName,
                          List<StoredIdentity> identities, Map<String, AttributeValue> extra, long now) {
        Map<String, AttributeValue> item = new HashMap<>(Items.key(Keys.profile(domainId, userId), Keys.PROFILE));
        item.put("user_id", Items.s(userId));
        item.put("domain_id", Items.s(domainId));
        item.put("anonymous", Items.bool(anonymous));
        item.put("display_name", Items.s(displayName));
        Map<String, AttributeValue> identityMap = new HashMap<>();
        identities.forEach(i -> identityMap.put(i.identity().profileKey(), identityItem(i)));
        item.put("identities", Items.m(identityMap));
        item.put("global", Items.m(Map.of()));
        item.put("global_cuf", Items.m(Map.of()));
        item.put("tags", Items.m(Map.of()));
        item.put("pins", Items.m(Map.of()));
        item.put("identity_history", Items.l(List.of()));
        item.put("fields", Items.m(Map.of()));
        item.put(UNVERIFIED_IDENTITIES, Items.m(Map.of()));
        item.put("created_at", Items.n(now));
        item.put("updated_at", Items.n(now));
        item.put("last_login_at", Items.n(now));
        item.putAll(extra);
        return Put.builder().tableName(table).item(item).conditionExpression("attribute_not_exists(pk)").build();
    }

    /**
     * A per-key update of an existing profile; the caller adds clauses. The profile must exist and
     * not be under erasure: once erase has set its tombstone, no login or identity addition can
     * commit onto it, which is what makes erase linearizable against them.
     */
    public ExpressionBuilder profileUpdate() {
        return new ExpressionBuilder().condition(LIVE_PROFILE);
    }

    /** The condition every write onto an existing profile carries. */
    public static final String LIVE_PROFILE = "attribute_exists(pk) AND attribute_not_exists(erased_at)";

    /** Sort-key prefix of a pointer in the user's partition to a device item. */
    public static final String SESSION_POINTER_PREFIX = "SESSION#";

    /**
     * A pointer from the user's partition to the item of a device the user logged in on, written
     * in the transaction of the login that gave the device to the user, so that erase, lookup and
     * the end of a user's sessions find every one of them with one strongly consistent Query. It
     * names the device's item, which later logins on that device replace in place, so it needs no
     * rewrite and no TTL; a pointer to an item that someone else's login took over is skipped.
     */
    public Put devicePointer(String domainId, String userId, String sessionKey) {
        return Put.builder().tableName(table)
                .item(Map.of(
                        "pk", Items.s(Keys.profile(domainId, userId)),
                        "sk", Items.s(SESSION_POINTER_PREFIX + Hashing.sha256Hex(sessionKey)),
                        "session_key", Items.s(sessionKey)))
                .build();
    }

    /** The device pointer of an anonymous user, which expires with the anonymous profile. */
    public Put devicePointer(String domainId, String userId, String sessionKey, long expiresAt) {
        Put pointer = devicePointer(domainId, userId, sessionKey);
        Map<String, AttributeValue> item = new HashMap<>(pointer.item());
        item.put("ttl", Items.n(expiresAt));
        return pointer.toBuilder().item(item).build();
    }

    /**
     * Takes one of a source IP's new anonymous devices for the hour: the counter rises only while
     * it is below the limit (the condition refuses the login's transaction otherwise), and the
     * item goes an hour after its hour ends. The IP is kept as a digest only.
     */
    public software.amazon.awssdk.services.dynamodb.model.Update newAnonymousDevice(String appId, String sourceIpDigest,
                                                                                      long hour, int limit) {
        return software.amazon.awssdk.services.dynamodb.model.Update.builder().tableName(table)
                .key(Items.key(Keys.anonymousDevicesOfIp(appId, sourceIpDigest, hour), Keys.ALLOWANCE))
                .updateExpression("ADD #n :one SET #ttl = :ttl")
                .conditionExpression("attribute_not_exists(#n) OR #n < :limit")
                .expressionAttributeNames(Map.of("#n", "n", "#ttl", "ttl"))
                .expressionAttributeValues(Map.of(":one", Items.n(1), ":limit", Items.n(limit), ":ttl", Items.n((hour + 2) * 3600)))
                .build();
    }

    /**
     * Marks a profile as being erased; from then on {@link #LIVE_PROFILE} fails for it.
     * Idempotent, so a retried erase goes on where a failed one stopped.
     *
     * @return false when there is no such profile
     */
    public boolean tombstone(String domainId, String userId, long now) {
        try {
            dynamo.updateItem(software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest.builder().tableName(table)
                    .key(profileKey(domainId, userId))
                    .updateExpression("SET erased_at = if_not_exists(erased_at, :now)")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":now", Items.n(now)))
                    .build());
            return true;
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException absent) {
            return false;
        }
    }

    public Map<String, AttributeValue> profileKey(String domainId, String userId) {
        return Items.key(Keys.profile(domainId, userId), Keys.PROFILE);
    }

    public Put newClaim(String domainId, Identity identity, String userId, long assertedAt) {
        return Put.builder().tableName(table)
                .item(Map.of(
                        "pk", Items.s(Keys.claim(domainId, identity)),
                        "sk", Items.s(Keys.CLAIM),
                        "user_id", Items.s(userId),
                        "identifier", Items.s(identity.identifier()),
                        "asserted_at", Items.n(assertedAt)))
                .conditionExpression("attribute_not_exists(pk)")
                .build();
    }

    public ConditionCheck claimOwnedBy(String domainId, Identity identity, String userId) {
        return ConditionCheck.builder().tableName(table)
                .key(Items.key(Keys.claim(domainId, identity), Keys.CLAIM))
                .conditionExpression("user_id = :owner")
                .expressionAttributeValues(Map.of(":owner", Items.s(userId)))
                .build();
    }

    /** Moves a claim only if it is still where and as old as it was read: the move is conditional, never read-then-write. */
    public software.amazon.awssdk.services.dynamodb.model.Update moveClaim(String domainId, Identity identity, Claim from, String toUserId, long assertedAt) {
        return software.amazon.awssdk.services.dynamodb.model.Update.builder().tableName(table)
                .key(Items.key(Keys.claim(domainId, identity), Keys.CLAIM))
                .updateExpression("SET user_id = :to, asserted_at = :at")
                .conditionExpression("user_id = :from AND asserted_at = :previous")
                .expressionAttributeValues(Map.of(
                        ":to", Items.s(toUserId),
                        ":at", Items.n(assertedAt),
                        ":from", Items.s(from.userId()),
                        ":previous", Items.n(from.assertedAt())))
                .build();
    }

    /**
     * Keeps the last {@link io.userhub.shared.validation.Limits#IDENTITY_HISTORY_MAX} entries of a
     * profile's identity history. Called after a write that moved identities (rare): one read of
     * the list, and a conditional REMOVE of the oldest entries only when it is over the cap; if
     * the list changed meanwhile, the next move trims it.
     */
    public void trimHistory(String domainId, String userId) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(profileKey(domainId, userId)).projectionExpression("identity_history").consistentRead(true).build()).item();
        AttributeValue history = item == null ? null : item.get("identity_history");
        int length = history == null || !history.hasL() ? 0 : history.l().size();
        int excess = length - io.userhub.shared.validation.Limits.IDENTITY_HISTORY_MAX;
        if (excess <= 0) {
            return;
        }
        StringBuilder remove = new StringBuilder("REMOVE ");
        for (int i = 0; i < excess; i++) {
            remove.append(i == 0 ? "" : ", ").append("identity_history[").append(i).append(']');
        }
        try {
            dynamo.updateItem(software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest.builder().tableName(table)
                    .key(profileKey(domainId, userId))
                    .updateExpression(remove.toString())
                    .conditionExpression(LIVE_PROFILE + " AND size(identity_history) = :length")
                    .expressionAttributeValues(Map.of(":length", Items.n(length)))
                    .build());
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException changedMeanwhile) {
            // another move appended or trimmed first; it trims again
        }
    }

    /** How long a device item outlives the device's last login (TTL). */

    /** A jti is single-use within the token's lifetime; an expired record that TTL has not yet deleted is reusable. */
    public Put consumeJti(String appId, String jti, long expiresAt, long now) {
        return Put.builder().tableName(table)
                .item(Map.of(
                        "pk", Items.s(Keys.jti(appId, jti)),
                        "sk", Items.s(Keys.JTI),
                        "ttl", Items.n(expiresAt)))
                .conditionExpression("attribute_not_exists(pk) OR #ttl < :now")
                .expressionAttributeNames(Map.of("#ttl", "ttl"))
                .expressionAttributeValues(Map.of(":now", Items.n(now)))
                .build();
    }

    /**
     * The pin an import sets from a row's {@code security_hash}: the hash and the imported
     * profile it opens. A user-id login presenting that hash reaches the imported (verified)
     * profile; one presenting another hash or none is SECURITY_HASH_MISMATCH, as HelpCrunch
     * answers once a hash is set. It replaces a pin a user-id login had set for the user id (the
     * customer's import is the authority), and the profile notes the app so an erase finds it.
     *
     * @return false when the same pin was already there (a re-run of the file), or the profile is gone
     */
    public boolean pinImported(String domainId, String appId, String userIdValue, String pinHash, String userId) {
        ExpressionBuilder flag = profileUpdate();
        flag.set(flag.path("pins", appId), Items.bool(true));
        flag.condition(LIVE_PROFILE);
        Put pin = Put.builder().tableName(table)
                .item(Map.of(
                        "pk", Items.s(Keys.pin(appId, userIdValue)),
                        "sk", Items.s(Keys.PIN),
                        "pin_hash", Items.s(pinHash),
                        "profile_user_id", Items.s(userId)))
                .conditionExpression("attribute_not_exists(pk) OR pin_hash <> :hash OR attribute_not_exists(profile_user_id)"
                        + " OR profile_user_id <> :user")
                .expressionAttributeValues(Map.of(":hash", Items.s(pinHash), ":user", Items.s(userId)))
                .build();
        return commitWaitingOutConflicts(new Transaction()
                .update(Guard.PROFILE, flag.toUpdate(table, profileKey(domainId, userId)))
                .put(Guard.PIN, pin));
    }

    /**
     * Pins a security hash a login sent first; the condition keeps the first accepted hash even
     * under concurrent logins, and never replaces an import's pin (which names its profile), even
     * one of the same hash that this login did not see when it read.
     */
    public Put pin(String appId, String userIdValue, String pinHash) {
        return Put.builder().tableName(table)
                .item(Map.of(
                        "pk", Items.s(Keys.pin(appId, userIdValue)),
                        "sk", Items.s(Keys.PIN),
                        "pin_hash", Items.s(pinHash)))
                .conditionExpression("attribute_not_exists(pk) OR (pin_hash = :hash AND attribute_not_exists(profile_user_id))")
                .expressionAttributeValues(Map.of(":hash", Items.s(pinHash)))
                .build();
    }
}
