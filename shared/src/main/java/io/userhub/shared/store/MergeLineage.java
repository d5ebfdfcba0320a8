package io.userhub.shared.store;

import io.userhub.shared.audit.AuditRecord;
import io.userhub.shared.identity.IdentityResolution.Move;
import io.userhub.shared.model.Claim;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.StoredIdentity;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a merge carried, kept so that it can be undone: one item in the receiving user's partition
 * ({@code MERGE#<merge id>}, the id of the login or addition that merged, which its audit records
 * name as {@code cause_id}), written in the merge's own transaction. It holds each moved identity
 * (its value, its previous owner and both claims' times) and, for the MERGE policy, the anonymous
 * user and the attributes the merge filled in (those the receiving user did not have). It lives
 * in the person's partition, so erasing the person erases it; it expires with the audit trail.
 */
public final class MergeLineage {
    public static final String SORT_KEY_PREFIX = "MERGE#";
    /** The per-key maps of a profile that the MERGE policy fills. */
    static final List<String> PROFILE_MAPS = List.of("global", "global_cuf", "tags");

    private final DynamoDbClient dynamo;
    private final UserStore users;
    private final Duration retention;

    public MergeLineage(DynamoDbClient dynamo, UserStore users, Duration retention) {
        this.dynamo = dynamo;
        this.users = users;
        this.retention = retention;
    }

    /** A moved identity: where it came from and the claims' times before and after. */
    public record MovedIdentity(Identity identity, String fromUserId, long fromAssertedAt, long toAssertedAt) {}

    /**
     * What a MERGE carried from an anonymous user: per profile map ({@code global}, {@code global_cuf},
     * {@code tags}) and per app item (its sort key), the attributes it filled in, with their values.
     */
    public record MergedAnonymous(String userId, Map<String, Map<String, AttributeValue>> profileMaps,
                                  Map<String, Map<String, AttributeValue>> appItems) {}

    public record Lineage(String mergeId, String appId, String userId, long at, List<MovedIdentity> moves,
                          Optional<MergedAnonymous> anonymous, Long undoneAt) {}

    public static String sortKey(String mergeId) {
        return SORT_KEY_PREFIX + mergeId;
    }

    /** The merge id of a write: the id of its login record (or of the addition's cause), which the audit records name. */
    static String mergeIdOf(List<AuditRecord> audit) {
        for (AuditRecord record : audit) {
            Object cause = record.details().get("cause_id");
            if (cause != null) {
                return (String) cause;
            }
        }
        return audit.isEmpty() ? AuditRecord.newId() : audit.get(0).id();
    }

    static List<MovedIdentity> moves(List<Move> moves, long toAssertedAt) {
        return moves.stream().map(m -> new MovedIdentity(m.identity(), m.from().userId(), m.from().assertedAt(), toAssertedAt)).toList();
    }

    /**
     * The attributes a MERGE fills in: the anonymous user's values for the keys the receiving
     * user lacks ({@code receiving} is its partition as read just before, empty for a new profile).
     */
    static MergedAnonymous filledBy(UserStore.MergeableAnonymous anonymous, List<Map<String, AttributeValue>> receiving) {
        Map<String, AttributeValue> receivingProfile = receiving.stream().filter(i -> Keys.PROFILE.equals(Items.string(i, "sk")))
                .findFirst().orElse(Map.of());
        Map<String, Map<String, AttributeValue>> maps = new LinkedHashMap<>();
        for (String map : PROFILE_MAPS) {
            Map<String, AttributeValue> had = Items.map(receivingProfile, map);
            Map<String, AttributeValue> filled = new LinkedHashMap<>();
            Items.map(anonymous.profile(), map).forEach((key, value) -> {
                if (!had.containsKey(key)) {
                    filled.put(key, value);
                }
            });
            if (!filled.isEmpty()) {
                maps.put(map, filled);
            }
        }
        Map<String, Map<String, AttributeValue>> apps = new LinkedHashMap<>();
        for (Map<String, AttributeValue> appItem : anonymous.appItems()) {
            String sk = Items.string(appItem, "sk");
            Map<String, AttributeValue> had = receiving.stream().filter(i -> sk.equals(Items.string(i, "sk"))).findFirst().orElse(Map.of());
            Map<String, AttributeValue> filled = new LinkedHashMap<>();
            appItem.forEach((name, value) -> {
                if ((name.startsWith("a:") || name.startsWith("cuf:")) && !had.containsKey(name)) {
                    filled.put(name, value);
                }
            });
            if (!filled.isEmpty()) {
                apps.put(sk, filled);
            }
        }
        return new MergedAnonymous(anonymous.userId(), maps, apps);
    }

    Put put(String domainId, String appId, String userId, String mergeId, long now, List<MovedIdentity> moves,
            Optional<MergedAnonymous> anonymous) {
        Map<String, AttributeValue> item = new HashMap<>(Items.key(Keys.profile(domainId, userId), sortKey(mergeId)));
        item.put("merge_id", Items.s(mergeId));
        item.put("app_id", Items.s(appId));
        item.put("user_id", Items.s(userId));
        item.put("at", Items.n(now));
        item.put("ttl", Items.n(now + retention.toSeconds()));
        item.put("moves", Items.l(moves.stream().map(m -> Items.m(Map.of(
                "identifier", Items.s(m.identity().identifier()),
                "value", Items.s(m.identity().value()),
                "from_user_id", Items.s(m.fromUserId()),
                "from_asserted_at", Items.n(m.fromAssertedAt()),
                "to_asserted_at", Items.n(m.toAssertedAt())))).toList()));
        anonymous.ifPresent(a -> {
            Map<String, AttributeValue> maps = new HashMap<>();
            a.profileMaps().forEach((map, values) -> maps.put(map, Items.m(values)));
            Map<String, AttributeValue> apps = new HashMap<>();
            a.appItems().forEach((sk, values) -> apps.put(sk, Items.m(values)));
            item.put("anonymous", Items.m(Map.of("user_id", Items.s(a.userId()), "maps", Items.m(maps), "apps", Items.m(apps))));
        });
        // Only an undo's own write sets undone_at, so a lineage written again (a retried login) starts undone-free.
        return Put.builder().tableName(users.table()).item(item).build();
    }

    /** The merge, read strongly consistent. */
    public Optional<Lineage> find(String domainId, String userId, String mergeId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(users.table()).consistentRead(true)
                .key(Items.key(Keys.profile(domainId, userId), sortKey(mergeId)))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        List<MovedIdentity> moves = new ArrayList<>();
        AttributeValue list = item.get("moves");
        if (list != null && list.hasL()) {
            for (AttributeValue m : list.l()) {
                Map<String, AttributeValue> move = m.m();
                moves.add(new MovedIdentity(new Identity(Items.string(move, "identifier"), Items.string(move, "value"), Map.of()),
                        Items.string(move, "from_user_id"), Items.number(move, "from_asserted_at"), Items.number(move, "to_asserted_at")));
            }
        }
        Optional<MergedAnonymous> anonymous = Optional.ofNullable(item.get("anonymous")).filter(AttributeValue::hasM).map(a -> {
            Map<String, Map<String, AttributeValue>> maps = new LinkedHashMap<>();
            Items.map(a.m(), "maps").forEach((map, values) -> maps.put(map, values.m()));
            Map<String, Map<String, AttributeValue>> apps = new LinkedHashMap<>();
            Items.map(a.m(), "apps").forEach((sk, values) -> apps.put(sk, values.m()));
            return new MergedAnonymous(Items.string(a.m(), "user_id"), maps, apps);
        });
        return Optional.of(new Lineage(mergeId, Items.string(item, "app_id"), userId, Items.number(item, "at"), moves, anonymous,
                Items.number(item, "undone_at")));
    }

    /**
     * The attributes a MERGE filled in, split by what the receiving user holds now: those with the
     * merged value still can go ({@code removed}, by map or app item); those changed since stay ({@code kept}).
     */
    public record AttributeUndo(Map<String, Map<String, AttributeValue>> profileKeys, Map<String, Map<String, AttributeValue>> appKeys,
                                List<String> removed, List<String> kept) {
        public static final AttributeUndo NONE = new AttributeUndo(Map.of(), Map.of(), List.of(), List.of());
    }

    public AttributeUndo attributeUndo(String domainId, String userId, MergedAnonymous anonymous) {
        Map<String, Map<String, AttributeValue>> current = currentAttributes(domainId, userId);
        Map<String, Map<String, AttributeValue>> profileKeys = new LinkedHashMap<>();
        Map<String, Map<String, AttributeValue>> appKeys = new LinkedHashMap<>();
        List<String> removed = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        split(anonymous.profileMaps(), current, profileKeys, removed, kept, "");
        split(anonymous.appItems(), current, appKeys, removed, kept, "");
        return new AttributeUndo(profileKeys, appKeys, removed, kept);
    }

    private static void split(Map<String, Map<String, AttributeValue>> merged, Map<String, Map<String, AttributeValue>> current,
                              Map<String, Map<String, AttributeValue>> removable, List<String> removed, List<String> kept, String label) {
        merged.forEach((container, values) -> values.forEach((key, value) -> {
            String name = label + container + "." + key;
            if (value.equals(current.getOrDefault(container, Map.of()).get(key))) {
                removable.computeIfAbsent(container, c -> new LinkedHashMap<>()).put(key, value);
                removed.add(name);
            } else {
                kept.add(name);
            }
        }));
    }

    /** What an undo puts back, as the use case decided it from the lineage and what it read. */
    /** @param event what the undo did: its audit record rides in the undo's transaction */
    public record Undo(String domainId, Lineage lineage, AttributeUndo attributes, long now,
                       io.userhub.shared.event.DomainEvent.UserUnmerged event) {}

    /**
     * Undoes a merge in one transaction: each identity's claim goes back to its previous owner
     * (only if still the receiving user's, with the merge's assertion time), off the receiving
     * profile and onto the previous one, both histories saying so; the attributes the merge
     * filled in go, each only if it still has the merged value; the anonymous user is unmerged
     * (only if still merged into the receiving user); the lineage is marked undone (only once).
     */
    public Commit undo(Undo undo) {
        String domain = undo.domainId();
        Lineage lineage = undo.lineage();
        String receiving = lineage.userId();
        Transaction tx = new Transaction();
        ExpressionBuilder receivingProfile = users.profileUpdate();
        Map<String, ExpressionBuilder> previousProfiles = new LinkedHashMap<>();
        for (MovedIdentity moved : lineage.moves()) {
            ExpressionBuilder claim = new ExpressionBuilder();
            claim.set(claim.name("user_id"), Items.s(moved.fromUserId()));
            claim.set(claim.name("asserted_at"), Items.n(moved.fromAssertedAt()));
            claim.condition(claim.name("user_id") + " = " + claim.value(Items.s(receiving)) + " AND "
                    + claim.name("asserted_at") + " = " + claim.value(Items.n(moved.toAssertedAt())));
            tx.update(Guard.CLAIM, claim.toUpdate(users.table(), Items.key(Keys.claim(domain, moved.identity()), Keys.CLAIM)));
            receivingProfile.remove(receivingProfile.path("identities", moved.identity().profileKey()));
            ExpressionBuilder previous = previousProfiles.computeIfAbsent(moved.fromUserId(), k -> {
                ExpressionBuilder e = users.profileUpdate();
                e.condition("attribute_not_exists(" + e.name("merged_into") + ")");
                e.set(e.name("updated_at"), Items.n(undo.now()));
                return e;
            });
            previous.set(previous.path("identities", moved.identity().profileKey()),
                    UserStore.identityItem(StoredIdentity.of(moved.identity(), moved.fromAssertedAt())));
            previous.append(previous.name("identity_history"), List.of(IdentityWrites.historyEntry("unmerged_in", moved.identity(), receiving, undo.now())));
        }
        if (!lineage.moves().isEmpty()) {
            receivingProfile.append(receivingProfile.name("identity_history"), lineage.moves().stream()
                    .map(m -> IdentityWrites.historyEntry("unmerged_out", m.identity(), m.fromUserId(), undo.now())).toList());
        }
        undo.attributes().profileKeys().forEach((map, values) -> values.forEach((key, value) -> {
            String path = receivingProfile.path(map, key);
            receivingProfile.remove(path);
            receivingProfile.condition(path + " = " + receivingProfile.value(value));
        }));
        receivingProfile.set(receivingProfile.name("updated_at"), Items.n(undo.now()));
        tx.update(Guard.PROFILE, receivingProfile.toUpdate(users.table(), users.profileKey(domain, receiving)));
        previousProfiles.forEach((userId, e) -> tx.update(Guard.PROFILE, e.toUpdate(users.table(), users.profileKey(domain, userId))));
        undo.attributes().appKeys().forEach((sk, values) -> {
            ExpressionBuilder e = new ExpressionBuilder();
            values.forEach((name, value) -> {
                e.remove(e.name(name));
                e.condition(e.name(name) + " = " + e.value(value));
            });
            tx.update(Guard.PROFILE, e.toUpdate(users.table(), Items.key(Keys.profile(domain, receiving), sk)));
        });
        lineage.anonymous().ifPresent(anonymous -> {
            ExpressionBuilder e = users.profileUpdate();
            e.remove(e.name("merged_into"));
            e.condition(e.name("merged_into") + " = " + e.value(Items.s(receiving)));
            tx.update(Guard.PROFILE, e.toUpdate(users.table(), users.profileKey(domain, anonymous.userId())));
        });
        ExpressionBuilder mark = new ExpressionBuilder();
        mark.set(mark.name("undone_at"), Items.n(undo.now()));
        mark.condition("attribute_exists(pk) AND attribute_not_exists(" + mark.name("undone_at") + ")");
        tx.update(Guard.LINEAGE, mark.toUpdate(users.table(), Items.key(Keys.profile(domain, receiving), sortKey(lineage.mergeId()))));
        tx.put(Guard.NONE, new AuditTrail(dynamo, users.table(), retention).put(io.userhub.shared.audit.AuditRecords.of(undo.event())));
        try {
            tx.commit(dynamo);
            return Commit.COMMITTED;
        } catch (GuardFailedException failed) {
            return new Commit.Refused(failed.failed(), failed.conflict());
        }
    }

    /** The claims' owners and times, read strongly consistent (an undo checks them before it writes). */
    public Map<String, Claim> claims(String domainId, List<Identity> identities) {
        return users.readClaims(domainId, identities).claims();
    }

    /** A profile's liveness, as an undo needs it: present, not erased, and whom it was merged into. */
    public record ProfileState(boolean live, String mergedInto) {}

    public Optional<ProfileState> profileState(String domainId, String userId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(users.table()).consistentRead(true)
                .key(users.profileKey(domainId, userId))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ProfileState(!item.containsKey("erased_at"), Items.string(item, "merged_into")));
    }

    /** The receiving user's profile maps and app items now, to tell which merged attributes still have the merged value. */
    private Map<String, Map<String, AttributeValue>> currentAttributes(String domainId, String userId) {
        Map<String, Map<String, AttributeValue>> current = new LinkedHashMap<>();
        for (Map<String, AttributeValue> item : users.partitionItems(domainId, userId)) {
            String sk = Items.string(item, "sk");
            if (Keys.PROFILE.equals(sk)) {
                PROFILE_MAPS.forEach(map -> current.put(map, Items.map(item, map)));
            } else if (sk.startsWith(AttributeStore.APP_ITEM_PREFIX)) {
                current.put(sk, item);
            }
        }
        return current;
    }
}
