package io.userhub.shared.store;

import io.userhub.shared.port.UserImports.UserFields;

import io.userhub.shared.port.Guard;

import io.userhub.shared.port.LoginStore;

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
public final class UserStore implements io.userhub.shared.port.UserAdministration, io.userhub.shared.port.UserImports,
        io.userhub.shared.port.ProfileReads {
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
    @Override
    public LoginState readClaims(String domainId, List<Identity> identities) {
        Map<String, Claim> claims = new HashMap<>();
        if (!identities.isEmpty()) {
            List<Map<String, AttributeValue>> keys = identities.stream()
                    .map(i -> ClaimItem.key(domainId, i)).distinct().toList();
            Map<String, Map<String, AttributeValue>> found = batchGet(keys);
            for (Identity identity : identities) {
                Map<String, AttributeValue> item = found.get(ClaimItem.partition(domainId, identity));
                if (item != null) {
                    claims.put(identity.profileKey(), ClaimItem.toClaim(item));
                }
            }
        }
        return new LoginState(claims, DeviceState.absent(), Optional.empty());
    }

    private Map<String, Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys) {
        return BatchReads.byPk(dynamo, table, keys, true);
    }

    @Override
    public Optional<Claim> findClaim(String domainId, Identity identity) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(ClaimItem.key(domainId, identity)).consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(ClaimItem.toClaim(item));
    }

    /** The profile item and every app item of a user: one Query on the user's partition. */
    private List<Map<String, AttributeValue>> userPartition(String domainId, String userId) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamo.queryPaginator(software.amazon.awssdk.services.dynamodb.model.QueryRequest.builder().tableName(table)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", Items.s(Keys.userPartition(domainId, userId))))
                .consistentRead(true)
                .build()).items().forEach(items::add);
        return items;
    }

    /** The anonymous user's profile and app items (one Query), if it can still be merged: anonymous, not merged, not erased. */
    public Optional<LoginStore.MergeableAnonymous> mergeableAnonymous(String domainId, String anonymousUserId) {
        List<Map<String, AttributeValue>> items = userPartition(domainId, anonymousUserId);
        Optional<Map<String, AttributeValue>> profile = items.stream().filter(item -> ProfileItem.isProfile(item)
                && Items.flag(item, "anonymous") && Items.string(item, "merged_into") == null
                && !item.containsKey("erased_at")).findFirst();
        // Session pointers stay with the anonymous user.
        return profile.map(p -> {
            Map<io.userhub.shared.identity.MergePolicy.Carried, Map<String, Object>> groups = new HashMap<>();
            ProfileItem.carriedGroups(p).forEach((group, values) -> groups.put(group, Items.plain(values)));
            Map<String, Map<io.userhub.shared.identity.MergePolicy.Carried, Map<String, Object>>> apps = new HashMap<>();
            items.stream().filter(AppDataItem::isAppData)
                    .forEach(item -> apps.put(AppDataItem.appIdOf(Items.string(item, "sk")), AppDataItem.carriedGroups(item)));
            return new LoginStore.MergeableAnonymous(anonymousUserId, groups, apps);
        });
    }

    /** Every item of a user's partition (profile, app items, pointers, merge lineages), one strongly consistent Query. */
    public List<Map<String, AttributeValue>> partitionItems(String domainId, String userId) {
        return userPartition(domainId, userId);
    }

    /** A user's partition, read with one strongly consistent Query; empty when there is no profile. */
    @Override
    public Optional<UserDetails.Partition> readPartition(String domainId, String userId) {
        List<Map<String, AttributeValue>> items = userPartition(domainId, userId);
        Map<String, AttributeValue> profile = null;
        Map<String, UserDetails.AppData> appData = new HashMap<>();
        List<String> sessionKeys = new ArrayList<>();
        List<String> appItems = new ArrayList<>();
        List<String> otherItems = new ArrayList<>();
        List<String> pointers = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) {
            String sk = Items.string(item, "sk");
            if (ProfileItem.SORT_KEY.equals(sk)) {
                profile = item;
            } else if (DevicePointerItem.isPointer(sk)) {
                sessionKeys.add(DevicePointerItem.deviceKeyOf(item));
                pointers.add(sk);
            } else if (AppDataItem.isAppData(sk)) {
                appItems.add(sk);
                appData.put(AppDataItem.appIdOf(sk), toAppData(item));
            } else {
                otherItems.add(sk);
            }
        }
        return profile == null ? Optional.empty()
                : Optional.of(new UserDetails.Partition(toDetails(profile), appData, sessionKeys, appItems, otherItems, pointers));
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
                ProfileItem.toProfile(item).identities(), history, plain(Items.map(item, "global")), plain(Items.map(item, "global_cuf")),
                new TreeSet<>(Items.map(item, "tags").keySet()), plain(Items.map(item, "fields")),
                Set.copyOf(Items.map(item, "pins").keySet()),
                Items.map(item, ProfileItem.UNVERIFIED_IDENTITIES).values().stream().map(v -> ProfileItem.toStoredIdentity(v.m())).toList());
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
    @Override
    public boolean releaseClaim(String domainId, Identity identity, String userId) {
        return deleteIf(ClaimItem.release(table, domainId, identity, userId));
    }

    /**
     * Leaves the digest of an erased identity (never its value) until {@code until}, so that an
     * import of the same identity can report that it was erased. One PutItem; TTL removes it.
     */
    @Override
    public void leaveErasedTombstone(String domainId, Identity identity, long now, long until) {
        dynamo.putItem(ErasedIdentityItem.put(table, domainId, identity, now, until));
    }

    /** When each of these identities was last erased, if its tombstone is still kept at {@code now} (by profile key). */
    @Override
    public Map<String, Long> erasedAt(String domainId, List<Identity> identities, long now) {
        Map<String, Long> erased = new HashMap<>();
        Map<String, Map<String, AttributeValue>> found = batchGet(identities.stream()
                .map(i -> ErasedIdentityItem.key(domainId, i)).toList());
        for (Identity identity : identities) {
            Map<String, AttributeValue> item = found.get(ErasedIdentityItem.partition(domainId, identity));
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
    @Override
    public boolean deletePin(String appId, String userIdValue, String userId) {
        return deleteIf(PinItem.deleteForErasedProfile(table, appId, userIdValue, userId));
    }

    /** Deletes one non-profile item of a user's partition (an app item or a session pointer); whether it was there. */
    @Override
    public boolean deletePartitionItem(String domainId, String userId, String sortKey) {
        if (AppDataItem.isAppData(sortKey)) {
            return deleteIf(AppDataItem.delete(table, domainId, userId, sortKey));
        }
        if (DevicePointerItem.isPointer(sortKey)) {
            return deleteIf(DevicePointerItem.delete(table, domainId, userId, sortKey));
        }
        if (LineageItem.isLineage(sortKey)) {
            return deleteIf(LineageItem.delete(table, domainId, userId, sortKey));
        }
        throw new IllegalArgumentException("no partition item is kept under " + sortKey);
    }

    @Override
    public boolean deleteProfile(String domainId, String userId) {
        return deleteIf(ProfileItem.delete(table, domainId, userId));
    }

    /** Deletes an item if the condition holds; false when it did not (or the item was gone). */
    private boolean deleteIf(software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest conditionalDelete) {
        try {
            dynamo.deleteItem(conditionalDelete);
            return true;
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException notThere) {
            return false;
        }
    }


    /** The fields of many users' profiles (BatchGetItem, 100 keys a call), keyed by user id. */
    @Override
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

    /**
     * A verified user made by the import: the profile and its uid claim in one transaction.
     *
     * @return false when the uid was claimed meanwhile (nothing was written)
     */
    @Override
    public boolean createImportedUser(String domainId, String userId, Identity uid, String displayName, UserFields fields, long now) {
        return commitWaitingOutConflicts(new Transaction()
                .put(Guard.PROFILE, ProfileItem.create(domainId, userId, false, displayName, List.of(StoredIdentity.of(uid, now)), now)
                        .fields(fields.fields()).customFields(fields.customFields()).toPut(table))
                .put(Guard.CLAIM, ClaimItem.create(table, domainId, uid, userId, now)));
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
    @Override
    public boolean updateUserFields(String domainId, String userId, UserFields fields, long now) {
        ProfileItem.Change change = ProfileItem.change(domainId, userId);
        if (!change.fieldsIfDifferent(fields.fields(), fields.customFields())) {
            return false;
        }
        var request = change.touched(now).toRequest(table);
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.updateItem(request);
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

    /** Profile items of many users (BatchGetItem, 100 keys a call), keyed by user id. */
    private Map<String, Map<String, AttributeValue>> findProfileItems(String domainId, List<String> userIds) {
        Map<String, Map<String, AttributeValue>> byUser = new HashMap<>();
        batchGet(userIds.stream().map(id -> ProfileItem.key(domainId, id)).toList()).values()
                .forEach(item -> byUser.put(Items.string(item, "user_id"), item));
        return byUser;
    }

    public Optional<Profile> findProfile(String domainId, String userId) {
        return findProfile(domainId, userId, true);
    }

    /** @param consistent false for a view that may lag its last write by a moment, at half the read's price */
    @Override
    public Optional<Profile> findProfile(String domainId, String userId, boolean consistent) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(ProfileItem.key(domainId, userId)).consistentRead(consistent).build()).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(ProfileItem.toProfile(item));
    }


    /**
     * Marks a profile as being erased; from then on no write onto it commits.
     * Idempotent, so a retried erase goes on where a failed one stopped.
     *
     * @return false when there is no such profile
     */
    @Override
    public boolean tombstone(String domainId, String userId, long now) {
        try {
            dynamo.updateItem(ProfileItem.tombstone(table, domainId, userId, now));
            return true;
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException absent) {
            return false;
        }
    }

    /**
     * Keeps the last {@link io.userhub.shared.validation.Limits#IDENTITY_HISTORY_MAX} entries of a
     * profile's identity history. Called after a write that moved identities (rare): one read of
     * the list, and a conditional REMOVE of the oldest entries only when it is over the cap; if
     * the list changed meanwhile, the next move trims it.
     */
    public void trimHistory(String domainId, String userId) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(ProfileItem.key(domainId, userId)).projectionExpression("identity_history").consistentRead(true).build()).item();
        AttributeValue history = item == null ? null : item.get("identity_history");
        int length = history == null || !history.hasL() ? 0 : history.l().size();
        if (length <= io.userhub.shared.validation.Limits.IDENTITY_HISTORY_MAX) {
            return;
        }
        try {
            dynamo.updateItem(ProfileItem.trimHistory(table, domainId, userId, length));
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException changedMeanwhile) {
            // another move appended or trimmed first; it trims again
        }
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
    @Override
    public boolean pinImported(String domainId, String appId, String userIdValue, String pinHash, String userId) {
        return commitWaitingOutConflicts(new Transaction()
                .update(Guard.PROFILE, ProfileItem.change(domainId, userId).pinnedBy(appId).toUpdate(table))
                .put(Guard.PIN, PinItem.pinnedByImport(table, appId, userIdValue, pinHash, userId)));
    }
}
