package io.userhub.shared.store;

import io.userhub.shared.port.Guard;

import io.userhub.shared.identity.IdentityResolution.Move;
import io.userhub.shared.identity.IdentityResolution.Plan;
import io.userhub.shared.model.StoredIdentity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Composes the writes that carry out a resolution {@link Plan}, shared by login and identity
 * addition: new claims are conditional puts, kept claims condition checks, moves conditional
 * updates, and both profiles of a move record it in their history.
 */
final class IdentityWrites {
    private IdentityWrites() {}

    static List<ProfileItem.HistoryEntry> movedIn(Plan plan, long now) {
        return plan == null ? List.of() : plan.moves().stream()
                .map(m -> new ProfileItem.HistoryEntry("moved_in", m.identity(), m.from().userId(), now)).toList();
    }

    /** The profile's identities and the moved-in history, onto an existing profile's update. */
    static ProfileItem.Change onProfile(ProfileItem.Change profile, List<StoredIdentity> assigned, Plan plan, long now) {
        assigned.forEach(profile::assign);
        return profile.history(movedIn(plan, now));
    }

    /**
     * Instead of a ConditionCheck per kept claim (2 WRU each in a transaction), the profile update
     * requires each kept identity to be still on the profile: a claim moves only in a transaction
     * that also removes the identity from the losing profile, so a move that commits between the
     * read and this write cancels it all the same.
     */
    static ProfileItem.Change keptStillOnProfile(ProfileItem.Change profile, Plan plan) {
        if (plan != null) {
            plan.kept().forEach(profile::stillHolds);
        }
        return profile;
    }

    /**
     * Claims, moves, and one update per profile that loses identities; with {@code checkKept} a
     * ConditionCheck per kept claim (callers whose profile update cannot carry
     * {@link #keptStillOnProfile}).
     */
    static void claims(Transaction tx, String table, String domain, Plan plan, long assertedAt, long now, boolean checkKept) {
        plan.toClaim().forEach(i -> tx.put(Guard.CLAIM, ClaimItem.create(table, domain, i, plan.userId(), assertedAt)));
        if (checkKept) {
            plan.kept().forEach(i -> tx.check(Guard.CLAIM, ClaimItem.ownedBy(table, domain, i, plan.userId())));
        }
        Map<String, List<Move>> movesByLoser = new LinkedHashMap<>();
        for (Move move : plan.moves()) {
            tx.update(Guard.CLAIM, ClaimItem.move(table, domain, move.identity(), move.from(), plan.userId(), assertedAt));
            movesByLoser.computeIfAbsent(move.from().userId(), k -> new ArrayList<>()).add(move);
        }
        movesByLoser.forEach((loser, moves) -> {
            ProfileItem.Change losing = ProfileItem.change(domain, loser);
            moves.forEach(m -> losing.removeIdentity(m.identity()));
            losing.history(moves.stream().map(m -> new ProfileItem.HistoryEntry("moved_out", m.identity(), plan.userId(), now)).toList());
            tx.update(Guard.CLAIM, losing.touched(now).toUpdate(table));
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
}
