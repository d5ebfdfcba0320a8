package io.userhub.shared.store;

import io.userhub.shared.identity.MergePolicy;
import io.userhub.shared.identity.MergePolicy.Carried;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A user's attributes in one app ({@code pk = D#<domain>#U#<user>, sk = APP#<app>}), as flat
 * {@code a:<key>} and {@code cuf:<key>} attributes, so the item needs no map to exist first and
 * two devices writing different keys never overwrite each other.
 */
@WritesItems(ItemType.APP_DATA)
public final class AppDataItem {
    private AppDataItem() {}

    /** Sort-key prefix of a user's item for one app, in the user's partition. */
    public static final String SORT_KEY_PREFIX = "APP#";

    public static String sortKey(String appId) {
        return SORT_KEY_PREFIX + appId;
    }

    static boolean isAppData(Map<String, AttributeValue> item) {
        return Items.string(item, "sk").startsWith(SORT_KEY_PREFIX);
    }

    static boolean isAppData(String sortKey) {
        return sortKey.startsWith(SORT_KEY_PREFIX);
    }

    /** The app id of an app item's sort key. */
    public static String appIdOf(String sortKey) {
        return sortKey.substring(SORT_KEY_PREFIX.length());
    }

    private static String prefixOf(Carried group) {
        return switch (group) {
            case APP_ATTRIBUTES -> "a:";
            case APP_CUSTOM_FIELDS -> "cuf:";
            default -> throw new IllegalArgumentException(group + " is kept on the profile");
        };
    }

    /** One group's entries of an app item, by key without the attribute prefix. */
    static Map<String, AttributeValue> group(Map<String, AttributeValue> item, Carried group) {
        String prefix = prefixOf(group);
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        item.forEach((name, value) -> {
            if (name.startsWith(prefix)) {
                values.put(name.substring(prefix.length()), value);
            }
        });
        return values;
    }

    /** The per-app groups a MERGE carries ({@link MergePolicy#PER_APP}), as plain values. */
    static Map<Carried, Map<String, Object>> carriedGroups(Map<String, AttributeValue> item) {
        Map<Carried, Map<String, Object>> groups = new java.util.EnumMap<>(Carried.class);
        MergePolicy.PER_APP.forEach(group -> groups.put(group, Items.plain(group(item, group))));
        return groups;
    }

    /** Per-key changes of a user's app item, in one UpdateItem that creates the item if needed. */
    static Change change(String domainId, String userId, String appId) {
        return new Change(domainId, userId, appId);
    }

    static final class Change {
        private final String domainId;
        private final String userId;
        private final String appId;
        private final ExpressionBuilder e = new ExpressionBuilder();

        private Change(String domainId, String userId, String appId) {
            this.domainId = domainId;
            this.userId = userId;
            this.appId = appId;
        }

        Change attribute(String key, String value) {
            e.set(e.name(prefixOf(Carried.APP_ATTRIBUTES) + key), Items.s(value));
            return this;
        }

        Change customField(String key, String value) {
            e.set(e.name(prefixOf(Carried.APP_CUSTOM_FIELDS) + key), Items.s(value));
            return this;
        }

        /** MERGE: the anonymous user's groups in this app fill the keys this user lacks ({@link MergePolicy}). */
        Change fillGaps(Map<Carried, Map<String, Object>> groups) {
            groups.forEach((group, values) -> values.forEach((key, value) ->
                    e.setIfAbsent(e.name(prefixOf(group) + key), Items.fromPlain(value))));
            return this;
        }

        /** Unmerge: takes a merged-in attribute back, only if the item still holds the merged value. */
        Change removeIfStill(Carried group, String key, AttributeValue value) {
            String name = e.name(prefixOf(group) + key);
            e.remove(name);
            e.condition(name + " = " + e.value(value));
            return this;
        }

        Change expiresAt(long epochSecond) {
            e.set(e.name("ttl"), Items.n(epochSecond));
            return this;
        }

        Change touched(long now) {
            e.set(e.name("app_id"), Items.s(appId));
            e.set(e.name("user_id"), Items.s(userId));
            e.set(e.name("updated_at"), Items.n(now));
            return this;
        }

        Update toUpdate(String table) {
            return e.toUpdate(table, Items.key(Keys.userPartition(domainId, userId), sortKey(appId)));
        }
    }

    static DeleteItemRequest delete(String table, String domainId, String userId, String sortKey) {
        return DeleteItemRequest.builder().tableName(table).key(Items.key(Keys.userPartition(domainId, userId), sortKey))
                .conditionExpression("attribute_exists(pk)").build();
    }
}
