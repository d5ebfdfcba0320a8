package io.userhub.shared.store;

import io.userhub.shared.port.Guard;

import io.userhub.shared.port.Commit;

import io.userhub.shared.port.LoginStore;
import io.userhub.shared.port.MergeLineages;
import io.userhub.shared.identity.CarriedAttributes;

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
public final class DynamoMergeLineages implements MergeLineages {

    private final DynamoDbClient dynamo;
    private final UserStore users;
    private final Duration retention;
    private final WebhookOutboxItems outbox;

    public DynamoMergeLineages(DynamoDbClient dynamo, UserStore users, Duration retention) {
        this(dynamo, users, retention, WebhookOutboxItems.NONE);
    }

    /** @param outbox the webhook event an undo's transaction carries beside its audit record */
    public DynamoMergeLineages(DynamoDbClient dynamo, UserStore users, Duration retention, WebhookOutboxItems outbox) {
        this.dynamo = dynamo;
        this.users = users;
        this.retention = retention;
        this.outbox = outbox;
    }

    static List<MovedIdentity> moves(List<Move> moves, long toAssertedAt) {
        return moves.stream().map(m -> new MovedIdentity(m.identity(), m.from().userId(), m.from().assertedAt(), toAssertedAt)).toList();
    }

    /**
     * The attributes a MERGE fills in: the anonymous user's values for the keys the receiving
     * user lacks ({@code receiving} is its partition as read just before, empty for a new profile).
     */
    static MergedAnonymous filledBy(LoginStore.MergeableAnonymous anonymous, List<Map<String, AttributeValue>> receiving) {
        CarriedAttributes had = carriedAttributes(receiving);
        Map<Carried, Map<String, Object>> profile = new EnumMap<>(Carried.class);
        anonymous.profile().forEach((group, values) -> profile.put(group, MergePolicy.carried(values, had.profile().getOrDefault(group, Map.of()))));
        Map<String, Map<Carried, Map<String, Object>>> apps = new LinkedHashMap<>();
        anonymous.apps().forEach((appId, groups) -> {
            Map<Carried, Map<String, Object>> receivingApp = had.apps().getOrDefault(appId, Map.of());
            Map<Carried, Map<String, Object>> filled = new EnumMap<>(Carried.class);
            groups.forEach((group, values) -> filled.put(group, MergePolicy.carried(values, receivingApp.getOrDefault(group, Map.of()))));
            apps.put(appId, filled);
        });
        return new MergedAnonymous(anonymous.userId(), new CarriedAttributes(profile, apps));
    }

    /** The carried groups of a user's partition (its profile and app items), as plain values. */
    private static CarriedAttributes carriedAttributes(List<Map<String, AttributeValue>> partition) {
        Map<Carried, Map<String, Object>> profile = new EnumMap<>(Carried.class);
        partition.stream().filter(ProfileItem::isProfile).findFirst().ifPresent(item ->
                ProfileItem.carriedGroups(item).forEach((group, values) -> profile.put(group, Items.plain(values))));
        Map<String, Map<Carried, Map<String, Object>>> apps = new LinkedHashMap<>();
        partition.stream().filter(AppDataItem::isAppData).forEach(item ->
                apps.put(AppDataItem.appIdOf(Items.string(item, "sk")), AppDataItem.carriedGroups(item)));
        return new CarriedAttributes(profile, apps);
    }

    Put put(String domainId, String appId, String userId, String mergeId, long now, List<MovedIdentity> moves,
            Optional<MergedAnonymous> anonymous) {
        return LineageItem.put(users.table(), domainId, appId, userId, mergeId, now, now + retention.toSeconds(), moves, anonymous);
    }

    /** The merge, read strongly consistent. */
    @Override
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
        Optional<MergedAnonymous> anonymous = Optional.ofNullable(item.get("anonymous")).filter(AttributeValue::hasM)
                .map(a -> new MergedAnonymous(Items.string(a.m(), "user_id"), LineageItem.filled(a.m())));
        return Optional.of(new Lineage(mergeId, Items.string(item, "app_id"), userId, Items.number(item, "at"), moves, anonymous,
                Items.number(item, "undone_at")));
    }

    @Override
    public CarriedAttributes carriedAttributesOf(String domainId, String userId) {
        return carriedAttributes(users.partitionItems(domainId, userId));
    }

    /**
     * Undoes a merge in one transaction: each identity's claim goes back to its previous owner
     * (only if still the receiving user's, with the merge's assertion time), off the receiving
     * profile and onto the previous one, both histories saying so; the attributes the merge
     * filled in go, each only if it still has the merged value; the anonymous user is unmerged
     * (only if still merged into the receiving user); the lineage is marked undone (only once).
     */
    @Override
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
        CarriedAttributes removable = undo.attributes().removable();
        removable.profile().forEach((group, values) ->
                values.forEach((key, value) -> receivingProfile.removeIfStill(group, key, Items.fromPlain(value))));
        tx.update(Guard.PROFILE, receivingProfile.touched(undo.now()).toUpdate(table));
        previousProfiles.values().forEach(previous -> tx.update(Guard.PROFILE, previous.toUpdate(table)));
        removable.apps().forEach((appId, groups) -> {
            AppDataItem.Change app = AppDataItem.change(domain, receiving, appId);
            groups.forEach((group, values) -> values.forEach((key, value) -> app.removeIfStill(group, key, Items.fromPlain(value))));
            tx.update(Guard.PROFILE, app.toUpdate(table));
        });
        lineage.anonymous().ifPresent(anonymous ->
                tx.update(Guard.PROFILE, ProfileItem.change(domain, anonymous.userId()).unmergedFrom(receiving).toUpdate(table)));
        tx.update(Guard.LINEAGE, LineageItem.markUndone(table, domain, receiving, lineage.mergeId(), undo.now()));
        tx.put(Guard.NONE, new AuditTrail(dynamo, table, retention).put(io.userhub.shared.audit.AuditRecords.of(undo.event())));
        outbox.addTo(tx, List.of(undo.event()));
        try {
            tx.commit(dynamo);
            return Commit.COMMITTED;
        } catch (GuardFailedException failed) {
            return new Commit.Refused(failed.failed(), failed.conflict());
        }
    }

    /** The claims' owners and times, read strongly consistent (an undo checks them before it writes). */
    @Override
    public Map<String, Claim> claims(String domainId, List<Identity> identities) {
        return users.readClaims(domainId, identities).claims();
    }

    @Override
    public Optional<ProfileState> profileState(String domainId, String userId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(users.table()).consistentRead(true)
                .key(ProfileItem.key(domainId, userId))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ProfileState(!item.containsKey("erased_at"), Items.string(item, "merged_into")));
    }
}
