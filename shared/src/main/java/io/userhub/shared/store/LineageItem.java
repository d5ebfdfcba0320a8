package io.userhub.shared.store;

import io.userhub.shared.identity.CarriedAttributes;
import io.userhub.shared.identity.MergePolicy.Carried;
import io.userhub.shared.port.MergeLineages.MergedAnonymous;
import io.userhub.shared.port.MergeLineages.MovedIdentity;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a merge carried ({@code pk = D#<domain>#U#<receiving user>, sk = MERGE#<merge id>}); see {@link DynamoMergeLineages}. */
@WritesItems(ItemType.MERGE_LINEAGE)
public final class LineageItem {
    private LineageItem() {}

    static final String SORT_KEY_PREFIX = "MERGE#";

    static String sortKey(String mergeId) {
        return SORT_KEY_PREFIX + mergeId;
    }

    static boolean isLineage(String sortKey) {
        return sortKey.startsWith(SORT_KEY_PREFIX);
    }

    static Map<String, AttributeValue> key(String domainId, String userId, String mergeId) {
        return Items.key(Keys.userPartition(domainId, userId), sortKey(mergeId));
    }

    /** Unconditional: only an undo's own write sets {@code undone_at}, so a lineage written again (a retried login) starts undone-free. */
    static Put put(String table, String domainId, String appId, String userId, String mergeId, long now, long expiresAt,
                   List<MovedIdentity> moves, Optional<MergedAnonymous> anonymous) {
        Map<String, AttributeValue> item = new HashMap<>(key(domainId, userId, mergeId));
        item.put("merge_id", Items.s(mergeId));
        item.put("app_id", Items.s(appId));
        item.put("user_id", Items.s(userId));
        item.put("at", Items.n(now));
        item.put("ttl", Items.n(expiresAt));
        item.put("moves", Items.l(moves.stream().map(m -> Items.m(Map.of(
                "identifier", Items.s(m.identity().identifier()),
                "value", Items.s(m.identity().value()),
                "from_user_id", Items.s(m.fromUserId()),
                "from_asserted_at", Items.n(m.fromAssertedAt()),
                "to_asserted_at", Items.n(m.toAssertedAt())))).toList()));
        anonymous.ifPresent(a -> {
            Map<String, AttributeValue> maps = new HashMap<>();
            a.filled().profile().forEach((group, values) -> maps.put(group.name(), Items.m(Items.fromPlain(values))));
            Map<String, AttributeValue> apps = new HashMap<>();
            a.filled().apps().forEach((app, groups) -> apps.put(app, groups(groups)));
            item.put("anonymous", Items.m(Map.of("user_id", Items.s(a.userId()), "maps", Items.m(maps), "apps", Items.m(apps))));
        });
        return Put.builder().tableName(table).item(item).build();
    }

    private static AttributeValue groups(Map<Carried, Map<String, Object>> groups) {
        Map<String, AttributeValue> byGroup = new HashMap<>();
        groups.forEach((group, values) -> byGroup.put(group.name(), Items.m(Items.fromPlain(values))));
        return Items.m(byGroup);
    }

    /** What the lineage's {@code anonymous} map says the merge filled in. */
    static CarriedAttributes filled(Map<String, AttributeValue> anonymous) {
        Map<Carried, Map<String, Object>> profile = new java.util.EnumMap<>(Carried.class);
        Items.map(anonymous, "maps").forEach((group, values) -> profile.put(Carried.valueOf(group), Items.plain(values.m())));
        Map<String, Map<Carried, Map<String, Object>>> apps = new java.util.LinkedHashMap<>();
        Items.map(anonymous, "apps").forEach((appId, groups) -> {
            Map<Carried, Map<String, Object>> byGroup = new java.util.EnumMap<>(Carried.class);
            groups.m().forEach((group, values) -> byGroup.put(Carried.valueOf(group), Items.plain(values.m())));
            apps.put(appId, byGroup);
        });
        return new CarriedAttributes(profile, apps);
    }

    /** Marks the lineage undone, only once. */
    static Update markUndone(String table, String domainId, String userId, String mergeId, long now) {
        ExpressionBuilder mark = new ExpressionBuilder();
        mark.set(mark.name("undone_at"), Items.n(now));
        mark.condition("attribute_exists(pk) AND attribute_not_exists(" + mark.name("undone_at") + ")");
        return mark.toUpdate(table, key(domainId, userId, mergeId));
    }

    static DeleteItemRequest delete(String table, String domainId, String userId, String sortKey) {
        return DeleteItemRequest.builder().tableName(table).key(Items.key(Keys.userPartition(domainId, userId), sortKey))
                .conditionExpression("attribute_exists(pk)").build();
    }
}
