package io.userhub.shared.store;

import io.userhub.shared.identity.IdentityResolution.Move;
import io.userhub.shared.identity.IdentityResolution.Plan;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.StoredIdentity;
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
final class IdentityWrites {
    private IdentityWrites() {}

    static List<AttributeValue> movedInHistory(Plan plan, long now) {
        return plan.moves().stream().map(m -> historyEntry("moved_in", m.identity(), m.from().userId(), now)).toList();
    }

    /** Per-key SETs of the profile's identities and the moved-in history, onto an existing profile's update. */
    static void onProfile(ExpressionBuilder e, List<StoredIdentity> assigned, Plan plan, long now) {
        for (StoredIdentity identity : assigned) {
            e.set(e.path("identities", identity.identity().profileKey()), UserStore.identityItem(identity));
        }
        List<AttributeValue> history = movedInHistory(plan, now);
        if (!history.isEmpty()) {
            e.append(e.name("identity_history"), history);
        }
    }

    /**
     * Instead of a ConditionCheck per kept claim (2 WRU each in a transaction), the profile update
     * requires each kept identity to be still on the profile: a claim moves only in a transaction
     * that also removes the identity from the losing profile, so "the claim is this user's" and
     * "the identity is on this user's profile" hold or fail together, and a move that commits
     * between the read and this write cancels it all the same.
     */
    static void keptStillOnProfile(ExpressionBuilder e, Plan plan) {
        plan.kept().forEach(i -> e.condition("attribute_exists(" + e.path("identities", i.profileKey()) + ")"));
    }

    /**
     * Claims, moves, and one update per profile that loses identities; with {@code checkKept} a
     * ConditionCheck per kept claim (callers whose profile update cannot carry
     * {@link #keptStillOnProfile}).
     */
    static void claims(Transaction tx, UserStore users, String domain, Plan plan, long assertedAt, long now, boolean checkKept) {
        plan.toClaim().forEach(i -> tx.put(Guard.CLAIM, users.newClaim(domain, i, plan.userId(), assertedAt)));
        if (checkKept) {
            plan.kept().forEach(i -> tx.check(Guard.CLAIM, users.claimOwnedBy(domain, i, plan.userId())));
        }
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
    static void trimHistories(UserStore users, String domain, Plan plan) {
        if (plan.moves().isEmpty()) {
            return;
        }
        users.trimHistory(domain, plan.userId());
        plan.moves().stream().map(m -> m.from().userId()).distinct().forEach(loser -> users.trimHistory(domain, loser));
    }

    static AttributeValue historyEntry(String action, Identity identity, String otherUserId, long at) {
        return Items.m(Map.of(
                "action", Items.s(action),
                "identifier", Items.s(identity.identifier()),
                "value", Items.s(identity.value()),
                "other_user_id", Items.s(otherUserId),
                "at", Items.n(at)));
    }
}
