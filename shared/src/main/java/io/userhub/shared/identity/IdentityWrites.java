package io.userhub.shared.identity;

import io.userhub.shared.identity.IdentityResolution.Move;
import io.userhub.shared.identity.IdentityResolution.Plan;
import io.userhub.shared.model.Claim;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.LoginState;
import io.userhub.shared.model.StoredIdentity;
import io.userhub.shared.store.ExpressionBuilder;
import io.userhub.shared.store.Guard;
import io.userhub.shared.store.Items;
import io.userhub.shared.store.Transaction;
import io.userhub.shared.store.UserStore;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The writes that carry out a resolution {@link Plan}, shared by login and identity addition:
 * new claims are conditional puts, kept claims condition checks, moves conditional updates, and
 * both profiles of a move record it in their history.
 */
public final class IdentityWrites {
    private IdentityWrites() {}

    /** The identities the plan gives the profile, each with the time its ownership was asserted. */
    public static List<StoredIdentity> assigned(Plan plan, LoginState state, long assertedAt) {
        List<StoredIdentity> assigned = new ArrayList<>();
        plan.toClaim().forEach(i -> assigned.add(StoredIdentity.of(i, assertedAt)));
        plan.moves().forEach(m -> assigned.add(StoredIdentity.of(m.identity(), assertedAt)));
        plan.kept().forEach(i -> assigned.add(StoredIdentity.of(i, state.claim(i).map(Claim::assertedAt).orElse(assertedAt))));
        return assigned;
    }

    public static List<AttributeValue> movedInHistory(Plan plan, long now) {
        return plan.moves().stream().map(m -> historyEntry("moved_in", m.identity(), m.from().userId(), now)).toList();
    }

    /** Per-key SETs of the profile's identities and the moved-in history, onto an existing profile's update. */
    public static void onProfile(ExpressionBuilder e, List<StoredIdentity> assigned, Plan plan, long now) {
        for (StoredIdentity identity : assigned) {
            e.set(e.path("identities", identity.identity().profileKey()), UserStore.identityItem(identity));
        }
        List<AttributeValue> history = movedInHistory(plan, now);
        if (!history.isEmpty()) {
            e.append(e.name("identity_history"), history);
        }
    }

    /** Claims, claim checks, moves, and one update per profile that loses identities. */
    public static void claims(Transaction tx, UserStore users, String domain, Plan plan, long assertedAt, long now) {
        plan.toClaim().forEach(i -> tx.put(Guard.CLAIM, users.newClaim(domain, i, plan.userId(), assertedAt)));
        plan.kept().forEach(i -> tx.check(Guard.CLAIM, users.claimOwnedBy(domain, i, plan.userId())));
        Map<String, List<Move>> movesByLoser = new LinkedHashMap<>();
        for (Move move : plan.moves()) {
            tx.update(Guard.CLAIM, users.moveClaim(domain, move.identity(), move.from(), plan.userId(), assertedAt));
            movesByLoser.computeIfAbsent(move.from().userId(), k -> new ArrayList<>()).add(move);
        }
        movesByLoser.forEach((loser, moves) -> {
            ExpressionBuilder e = users.profileUpdate();
            moves.forEach(m -> e.remove(e.path("identities", m.identity().profileKey())));
            e.append(e.name("identity_history"), moves.stream()
                    .map(m -> historyEntry("moved_out", m.identity(), plan.userId(), now)).toList());
            e.set(e.name("updated_at"), Items.n(now));
            tx.update(Guard.CLAIM, e.toUpdate(users.table(), users.profileKey(domain, loser)));
        });
    }

    /** After a committed write that moved identities: both sides' histories back under their cap. */
    public static void trimHistories(UserStore users, String domain, Plan plan) {
        if (plan.moves().isEmpty()) {
            return;
        }
        users.trimHistory(domain, plan.userId());
        plan.moves().stream().map(m -> m.from().userId()).distinct().forEach(loser -> users.trimHistory(domain, loser));
    }

    private static AttributeValue historyEntry(String action, Identity identity, String otherUserId, long at) {
        return Items.m(Map.of(
                "action", Items.s(action),
                "identifier", Items.s(identity.identifier()),
                "value", Items.s(identity.value()),
                "other_user_id", Items.s(otherUserId),
                "at", Items.n(at)));
    }
}
