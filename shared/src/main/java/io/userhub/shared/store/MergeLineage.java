package io.userhub.shared.store;

import io.userhub.shared.port.Guard;

import io.userhub.shared.port.Commit;

import io.userhub.shared.port.LoginStore;

import io.userhub.shared.audit.AuditRecord;
import io.userhub.shared.identity.IdentityResolution.Move;
import io.userhub.shared.identity.MergePolicy;
import io.userhub.shared.identity.MergePolicy.Carried;
import io.userhub.shared.model.Claim;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.StoredIdentity;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
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
     * What a MERGE carried from an anonymous user: per profile-wide group of the {@link MergePolicy}
     * and per app item (its sort key), the attributes it filled in, with their values.
     */
    public record MergedAnonymous(String userId, Map<Carried, Map<String, AttributeValue>> profileMaps,
                                  Map<String, Map<String, AttributeValue>> appItems) {}

    public record Lineage(String mergeId, String appId, String userId, long at, List<MovedIdentity> moves,
                          Optional<MergedAnonymous> anonymous, Long undoneAt) {}

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
    static MergedAnonymous filledBy(LoginStore.MergeableAnonymous anonymous, List<Map<String, AttributeValue>> receiving) {
        Map<Carried, Map<String, AttributeValue>> had = ProfileItem.carriedGroups(receiving.stream()
                .filter(ProfileItem::isProfile).findFirst().orElse(Map.of()));
        Map<Carried, Map<String, AttributeValue>> maps = new EnumMap<>(Carried.class);
        anonymous.profile().forEach((group, values) -> {
            Map<String, Object> filled = MergePolicy.carried(values, Items.plain(had.getOrDefault(group, Map.of())));
            if (!filled.isEmpty()) {
                maps.put(group, Items.fromPlain(filled));
            }
        });
        Map<String, Map<String, AttributeValue>> apps = new LinkedHashMap<>();
        for (var app : anonymous.apps().entrySet()) {
            String sk = AppDataItem.sortKey(app.getKey());
            Map<String, AttributeValue> receivingItem = receiving.stream().filter(i -> sk.equals(Items.string(i, "sk"))).findFirst().orElse(Map.of());
            Map<String, AttributeValue> filled = AppDataItem.carried(app.getValue(), receivingItem);
            if (!filled.isEmpty()) {
                apps.put(sk, filled);
            }
        }
        return new MergedAnonymous(anonymous.userId(), maps, apps);
    }

    Put put(String domainId, String appId, String userId, String mergeId, long now, List<MovedIdentity> moves,
            Optional<MergedAnonymous> anonymous) {
        return LineageItem.put(users.table(), domainId, appId, userId, mergeId, now, now + retention.toSeconds(), moves, anonymous);
    }

    /** The merge, read strongly consistent. */
    public Optional<Lineage> find(String domainId, String userId, String mergeId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(users.table()).consistentRead(true)
                .key(LineageItem.key(domainId, userId, mergeId))).item();
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
            Map<Carried, Map<String, AttributeValue>> maps = new EnumMap<>(Carried.class);
            Items.map(a.m(), "maps").forEach((group, values) -> maps.put(Carried.valueOf(group), values.m()));
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
    public record AttributeUndo(Map<Carried, Map<String, AttributeValue>> profileKeys, Map<String, Map<String, AttributeValue>> appKeys,
                                List<String> removed, List<String> kept) {
        public static final AttributeUndo NONE = new AttributeUndo(Map.of(), Map.of(), List.of(), List.of());
    }

    public AttributeUndo attributeUndo(String domainId, String userId, MergedAnonymous anonymous) {
        List<Map<String, AttributeValue>> partition = users.partitionItems(domainId, userId);
        Map<Carried, Map<String, AttributeValue>> currentProfile = ProfileItem.carriedGroups(partition.stream()
                .filter(ProfileItem::isProfile).findFirst().orElse(Map.of()));
        Map<String, Map<String, AttributeValue>> currentApps = new LinkedHashMap<>();
        partition.stream().filter(AppDataItem::isAppData).forEach(item -> currentApps.put(Items.string(item, "sk"), item));
        Map<Carried, Map<String, AttributeValue>> profileKeys = new EnumMap<>(Carried.class);
        Map<String, Map<String, AttributeValue>> appKeys = new LinkedHashMap<>();
        List<String> removed = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        split(anonymous.profileMaps(), currentProfile, profileKeys, removed, kept, ProfileItem::mapOf);
        split(anonymous.appItems(), currentApps, appKeys, removed, kept, sk -> sk);
        return new AttributeUndo(profileKeys, appKeys, removed, kept);
    }

    private static <C> void split(Map<C, Map<String, AttributeValue>> merged, Map<C, Map<String, AttributeValue>> current,
                                  Map<C, Map<String, AttributeValue>> removable, List<String> removed, List<String> kept,
                                  java.util.function.Function<C, String> label) {
        merged.forEach((container, values) -> values.forEach((key, value) -> {
            String name = label.apply(container) + "." + key;
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
        String table = users.table();
        Transaction tx = new Transaction();
        ProfileItem.Change receivingProfile = ProfileItem.change(domain, receiving);
        Map<String, ProfileItem.Change> previousProfiles = new LinkedHashMap<>();
        for (MovedIdentity moved : lineage.moves()) {
            tx.update(Guard.CLAIM, ClaimItem.move(table, domain, moved.identity(), new Claim(receiving, moved.toAssertedAt()),
                    moved.fromUserId(), moved.fromAssertedAt()));
            receivingProfile.removeIdentity(moved.identity());
            ProfileItem.Change previous = previousProfiles.computeIfAbsent(moved.fromUserId(),
                    userId -> ProfileItem.change(domain, userId).notMerged().touched(undo.now()));
            previous.assign(StoredIdentity.of(moved.identity(), moved.fromAssertedAt()));
            previous.history(List.of(new ProfileItem.HistoryEntry("unmerged_in", moved.identity(), receiving, undo.now())));
        }
        receivingProfile.history(lineage.moves().stream()
                .map(m -> new ProfileItem.HistoryEntry("unmerged_out", m.identity(), m.fromUserId(), undo.now())).toList());
        undo.attributes().profileKeys().forEach((group, values) ->
                values.forEach((key, value) -> receivingProfile.removeIfStill(group, key, value)));
        tx.update(Guard.PROFILE, receivingProfile.touched(undo.now()).toUpdate(table));
        previousProfiles.values().forEach(previous -> tx.update(Guard.PROFILE, previous.toUpdate(table)));
        undo.attributes().appKeys().forEach((sk, values) -> {
            AppDataItem.Change app = AppDataItem.change(domain, receiving, AppDataItem.appIdOf(sk));
            values.forEach(app::removeIfStill);
            tx.update(Guard.PROFILE, app.toUpdate(table));
        });
        lineage.anonymous().ifPresent(anonymous ->
                tx.update(Guard.PROFILE, ProfileItem.change(domain, anonymous.userId()).unmergedFrom(receiving).toUpdate(table)));
        tx.update(Guard.LINEAGE, LineageItem.markUndone(table, domain, receiving, lineage.mergeId(), undo.now()));
        tx.put(Guard.NONE, new AuditTrail(dynamo, table, retention).put(io.userhub.shared.audit.AuditRecords.of(undo.event())));
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
                .key(ProfileItem.key(domainId, userId))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ProfileState(!item.containsKey("erased_at"), Items.string(item, "merged_into")));
    }
}
