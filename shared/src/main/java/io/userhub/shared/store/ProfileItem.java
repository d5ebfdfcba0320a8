package io.userhub.shared.store;

import io.userhub.shared.identity.MergePolicy.Carried;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.Profile;
import io.userhub.shared.model.StoredIdentity;
import io.userhub.shared.validation.Limits;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A person's profile ({@code pk = D#<domain>#U#<user>, sk = PROFILE}): identities by profile key,
 * identity history, global attributes, global custom fields, tags, user-record fields, the apps
 * that pinned a security hash, unverified identities. Every write onto the profile is built here;
 * stores compose them into requests and transactions.
 */
@WritesItems(ItemType.PROFILE)
public final class ProfileItem {
    private ProfileItem() {}

    public static final String SORT_KEY = "PROFILE";

    /**
     * The condition every write onto an existing profile carries: the profile exists and is not
     * under erasure. Once erase has set its tombstone no login or identity addition can commit
     * onto it, which is what makes erase linearizable against them.
     */
    static final String LIVE = "attribute_exists(pk) AND attribute_not_exists(erased_at)";

    /**
     * The profile's map of identities a token said are unverified (email, phone number): kept so
     * the profile shows them, with no claim, so they never resolve, move or merge anything.
     */
    static final String UNVERIFIED_IDENTITIES = "unverified_identities";
    private static final String HISTORY = "identity_history";

    public static Map<String, AttributeValue> key(String domainId, String userId) {
        return Items.key(Keys.userPartition(domainId, userId), SORT_KEY);
    }

    static boolean isProfile(Map<String, AttributeValue> item) {
        return SORT_KEY.equals(Items.string(item, "sk"));
    }

    /** The profile map holding one carried group. */
    static String mapOf(Carried group) {
        return switch (group) {
            case GLOBAL_ATTRIBUTES -> "global";
            case GLOBAL_CUSTOM_FIELDS -> "global_cuf";
            case TAGS -> "tags";
            default -> throw new IllegalArgumentException(group + " is kept per app");
        };
    }

    /** The profile-wide groups a MERGE carries ({@link io.userhub.shared.identity.MergePolicy#PROFILE_WIDE}), as the item holds them. */
    static Map<Carried, Map<String, AttributeValue>> carriedGroups(Map<String, AttributeValue> item) {
        Map<Carried, Map<String, AttributeValue>> groups = new java.util.EnumMap<>(Carried.class);
        io.userhub.shared.identity.MergePolicy.PROFILE_WIDE.forEach(group -> groups.put(group, Items.map(item, mapOf(group))));
        return groups;
    }

    // ---- reading --------------------------------------------------------------------------------

    public static Profile toProfile(Map<String, AttributeValue> item) {
        List<StoredIdentity> identities = new ArrayList<>();
        Items.map(item, "identities").values().forEach(v -> identities.add(toStoredIdentity(v.m())));
        return new Profile(Items.string(item, "user_id"), Items.flag(item, "anonymous"),
                Items.string(item, "display_name"), identities, Items.string(item, "merged_into"));
    }

    static StoredIdentity toStoredIdentity(Map<String, AttributeValue> m) {
        Map<String, String> metadata = new LinkedHashMap<>();
        Items.map(m, "metadata").forEach((k, v) -> metadata.put(k, v.s()));
        return new StoredIdentity(Items.string(m, "identifier"), Items.string(m, "value"), metadata, Items.number(m, "asserted_at"));
    }

    private static AttributeValue identityItem(StoredIdentity identity) {
        Map<String, AttributeValue> metadata = new HashMap<>();
        identity.metadata().forEach((k, v) -> metadata.put(k, Items.s(v)));
        return Items.m(Map.of(
                "identifier", Items.s(identity.identifier()),
                "value", Items.s(identity.value()),
                "metadata", Items.m(metadata),
                "asserted_at", Items.n(identity.assertedAt())));
    }

    /** One entry of a profile's identity history: an identity moved in or out, or back by an unmerge. */
    public record HistoryEntry(String action, Identity identity, String otherUserId, long at) {
        AttributeValue toItem() {
            return Items.m(Map.of(
                    "action", Items.s(action),
                    "identifier", Items.s(identity.identifier()),
                    "value", Items.s(identity.value()),
                    "other_user_id", Items.s(otherUserId),
                    "at", Items.n(at)));
        }
    }

    private static List<AttributeValue> items(Collection<HistoryEntry> history) {
        return history.stream().map(HistoryEntry::toItem).toList();
    }

    private static Map<String, AttributeValue> strings(Map<String, String> strings) {
        Map<String, AttributeValue> values = new HashMap<>();
        strings.forEach((k, v) -> values.put(k, Items.s(v)));
        return values;
    }

    // ---- a new profile --------------------------------------------------------------------------

    public static New create(String domainId, String userId, boolean anonymous, String displayName,
                             List<StoredIdentity> identities, long now) {
        return new New(domainId, userId, anonymous, displayName, identities, now);
    }

    /** A profile's first write: a Put that requires no profile under the key. */
    public static final class New {
        private final Map<String, AttributeValue> item;

        private New(String domainId, String userId, boolean anonymous, String displayName, List<StoredIdentity> identities, long now) {
            item = new HashMap<>(key(domainId, userId));
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
            item.put(HISTORY, Items.l(List.of()));
            item.put("fields", Items.m(Map.of()));
            item.put(UNVERIFIED_IDENTITIES, Items.m(Map.of()));
            item.put("created_at", Items.n(now));
            item.put("updated_at", Items.n(now));
            item.put("last_login_at", Items.n(now));
        }

        public New fields(Map<String, String> fields) {
            item.put("fields", Items.m(strings(fields)));
            return this;
        }

        public New customFields(Map<String, String> customFields) {
            item.put("global_cuf", Items.m(strings(customFields)));
            return this;
        }

        /** The profile remembers which apps pinned a security hash, so that erasing it finds the pins. */
        public New pinnedBy(String appId) {
            item.put("pins", Items.m(Map.of(appId, Items.bool(true))));
            return this;
        }

        public New history(List<HistoryEntry> history) {
            item.put(HISTORY, Items.l(items(history)));
            return this;
        }

        public New unverified(List<StoredIdentity> unverified) {
            Map<String, AttributeValue> map = new HashMap<>();
            unverified.forEach(i -> map.put(i.identity().profileKey(), identityItem(i)));
            item.put(UNVERIFIED_IDENTITIES, Items.m(map));
            return this;
        }

        /** A MERGE into a new profile carries everything the anonymous user had in the profile-wide groups. */
        public New carrying(Map<Carried, Map<String, Object>> groups) {
            groups.forEach((group, values) -> item.put(mapOf(group), Items.m(Items.fromPlain(values))));
            return this;
        }

        /** Nothing an unauthenticated caller makes lives for ever: an anonymous profile expires after the app's inactivity period. */
        public New expiresAt(long epochSecond) {
            item.put("ttl", Items.n(epochSecond));
            return this;
        }

        public Put toPut(String table) {
            return Put.builder().tableName(table).item(item).conditionExpression("attribute_not_exists(pk)").build();
        }
    }

    // ---- changes to a live profile --------------------------------------------------------------

    /** Per-key changes of one live profile, in one UpdateItem (or a ConditionCheck when it only checks). */
    public static Change change(String domainId, String userId) {
        return new Change(key(domainId, userId));
    }

    public static final class Change {
        private final Map<String, AttributeValue> key;
        private final ExpressionBuilder e = new ExpressionBuilder().condition(LIVE);

        private Change(Map<String, AttributeValue> key) {
            this.key = key;
        }

        public Change touched(long now) {
            e.set(e.name("updated_at"), Items.n(now));
            return this;
        }

        public Change loggedIn(long now) {
            e.set(e.name("last_login_at"), Items.n(now));
            return touched(now);
        }

        public Change assign(StoredIdentity identity) {
            e.set(e.path("identities", identity.identity().profileKey()), identityItem(identity));
            return this;
        }

        public Change unverified(StoredIdentity identity) {
            e.set(e.path(UNVERIFIED_IDENTITIES, identity.identity().profileKey()), identityItem(identity));
            return this;
        }

        public Change removeIdentity(Identity identity) {
            e.remove(e.path("identities", identity.profileKey()));
            return this;
        }

        public Change history(List<HistoryEntry> entries) {
            if (!entries.isEmpty()) {
                e.append(e.name(HISTORY), items(entries));
            }
            return this;
        }

        /**
         * Requires the identity to be still on the profile: a claim moves only in a transaction
         * that also removes the identity from the losing profile, so "the claim is this user's"
         * and "the identity is on this profile" hold or fail together.
         */
        public Change stillHolds(Identity identity) {
            e.condition("attribute_exists(" + e.path("identities", identity.profileKey()) + ")");
            return this;
        }

        public Change field(String name, String value) {
            e.set(e.path("fields", name), Items.s(value));
            return this;
        }

        public Change displayName(String displayName) {
            e.set(e.name("display_name"), Items.s(displayName));
            return this;
        }

        public Change pinnedBy(String appId) {
            e.set(e.path("pins", appId), Items.bool(true));
            return this;
        }

        /**
         * Sets the user-record fields and global custom fields that differ, under the condition that
         * one still differs, so a re-run of the same import writes nothing; {@code name} also
         * becomes the display name.
         *
         * @return false when there is nothing to set
         */
        public boolean fieldsIfDifferent(Map<String, String> fields, Map<String, String> customFields) {
            List<String> differs = new ArrayList<>();
            fields.forEach((field, value) -> setIfDifferent(differs, e.path("fields", field), value));
            customFields.forEach((field, value) -> setIfDifferent(differs, e.path("global_cuf", field), value));
            if (differs.isEmpty()) {
                return false;
            }
            if (fields.containsKey("name")) {
                displayName(fields.get("name"));
            }
            e.condition("(" + String.join(" OR ", differs) + ")");
            return true;
        }

        private void setIfDifferent(List<String> differs, String path, String value) {
            differs.add("(attribute_not_exists(" + path + ") OR " + path + " <> " + e.value(Items.s(value)) + ")");
            e.set(path, Items.s(value));
        }

        /** MERGE: the anonymous values fill the keys this profile lacks; its own values stay. */
        public Change fillGaps(Map<Carried, Map<String, Object>> groups) {
            groups.forEach((group, values) -> values.forEach((k, v) -> e.setIfAbsent(e.path(mapOf(group), k), Items.fromPlain(v))));
            return this;
        }

        /** Unmerge: takes a merged-in value back, only if the profile still holds it. */
        public Change removeIfStill(Carried group, String key, AttributeValue value) {
            String path = e.path(mapOf(group), key);
            e.remove(path);
            e.condition(path + " = " + e.value(value));
            return this;
        }

        public Change global(String key, Object value) {
            e.set(e.path("global", key), value instanceof Long number ? Items.n(number) : Items.s(String.valueOf(value)));
            return this;
        }

        public Change globalCustomField(String key, String value) {
            e.set(e.path("global_cuf", key), Items.s(value));
            return this;
        }

        /** The write holds only while the profile has at most {@code most} tags (the tag cap's condition). */
        public Change tagsAtMost(int most) {
            String tags = e.name("tags");
            e.condition("(attribute_not_exists(" + tags + ") OR size(" + tags + ") <= " + e.value(Items.n(most)) + ")");
            return this;
        }

        public Change tagsReset(Set<String> tags) {
            Map<String, AttributeValue> set = new HashMap<>();
            tags.forEach(tag -> set.put(tag, Items.bool(true)));
            e.set(e.name("tags"), Items.m(set));
            return this;
        }

        public Change tagAdded(String tag) {
            e.set(e.path("tags", tag), Items.bool(true));
            return this;
        }

        public Change tagRemoved(String tag) {
            e.remove(e.path("tags", tag));
            return this;
        }

        public Change expiresAt(long epochSecond) {
            e.set(e.name("ttl"), Items.n(epochSecond));
            return this;
        }

        /** The profile is not merged into another user. */
        public Change notMerged() {
            e.condition("attribute_not_exists(" + e.name("merged_into") + ")");
            return this;
        }

        /** An anonymous user merged into {@code intoUserId} stops expiring: an unmerge may bring it back. */
        public Change mergedInto(String intoUserId) {
            e.set(e.name("merged_into"), Items.s(intoUserId));
            e.remove(e.name("ttl"));
            return notMerged();
        }

        /** Unmerge: the anonymous user is its own again, only if it is still merged into {@code receivingUserId}. */
        public Change unmergedFrom(String receivingUserId) {
            e.remove(e.name("merged_into"));
            e.condition(e.name("merged_into") + " = " + e.value(Items.s(receivingUserId)));
            return this;
        }

        public Update toUpdate(String table) {
            return e.toUpdate(table, key);
        }

        public UpdateItemRequest toRequest(String table) {
            return Transaction.asRequest(toUpdate(table));
        }

        /** Only the conditions, when the login writes nothing onto the profile. */
        public ConditionCheck toCheck(String table) {
            return ConditionCheck.builder().tableName(table).key(key)
                    .conditionExpression(e.conditionExpression())
                    .expressionAttributeNames(e.names().isEmpty() ? null : e.names())
                    .expressionAttributeValues(e.values().isEmpty() ? null : e.values())
                    .build();
        }
    }

    // ---- erase and upkeep -----------------------------------------------------------------------

    /** Marks a profile as being erased; from then on {@link #LIVE} fails for it. Idempotent. */
    static UpdateItemRequest tombstone(String table, String domainId, String userId, long now) {
        return UpdateItemRequest.builder().tableName(table).key(key(domainId, userId))
                .updateExpression("SET erased_at = if_not_exists(erased_at, :now)")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":now", Items.n(now)))
                .build();
    }

    static DeleteItemRequest delete(String table, String domainId, String userId) {
        return DeleteItemRequest.builder().tableName(table).key(key(domainId, userId)).conditionExpression("attribute_exists(pk)").build();
    }

    /** Removes the oldest history entries over the cap, only if the list still has {@code length} entries. */
    static UpdateItemRequest trimHistory(String table, String domainId, String userId, int length) {
        int excess = length - Limits.IDENTITY_HISTORY_MAX;
        StringBuilder remove = new StringBuilder("REMOVE ");
        for (int i = 0; i < excess; i++) {
            remove.append(i == 0 ? "" : ", ").append(HISTORY).append('[').append(i).append(']');
        }
        return UpdateItemRequest.builder().tableName(table).key(key(domainId, userId))
                .updateExpression(remove.toString())
                .conditionExpression(LIVE + " AND size(" + HISTORY + ") = :length")
                .expressionAttributeValues(Map.of(":length", Items.n(length)))
                .build();
    }
}
