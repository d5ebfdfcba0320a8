package io.userhub.shared.identity;

import io.userhub.shared.model.Claim;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.LoginState;
import io.userhub.shared.model.ResolutionRules;
import io.userhub.shared.model.StoredIdentity;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * SPEC section 3's resolution rule as plain Java: a uid decides the profile; without one, the
 * first claimed email does (case-insensitively), or the first claimed identifier of the app's
 * priority list; otherwise a new profile. A non-uid identity owned by another profile moves only
 * when a newer signed token asserts it and the app's rules do not make it sticky; a uid never moves.
 */
public final class IdentityResolution {
    private IdentityResolution() {}

    public record Move(Identity identity, Claim from) {}

    public record Conflict(Identity identity, String ownerUserId) {}

    public record Plan(String userId, boolean newProfile, List<Identity> toClaim, List<Identity> kept,
                       List<Move> moves, List<Conflict> conflicts) {
        public Plan {
            toClaim = List.copyOf(toClaim);
            kept = List.copyOf(kept);
            moves = List.copyOf(moves);
            conflicts = List.copyOf(conflicts);
        }
    }

    /**
     * @param adoptableOwner the owner of a claimed email that has no uid yet; a first uid login
     *                       adopts that profile instead of splitting the person in two
     */
    public static Plan resolve(List<Identity> identities, LoginState state, long assertedAt, boolean signed,
                               Optional<String> adoptableOwner, Supplier<String> newUserId) {
        return resolve(identities, state, assertedAt, signed, adoptableOwner, newUserId, ResolutionRules.DEFAULT);
    }

    /**
     * @param rules the app's rules: without a uid, the first identifier of {@code rules.priority()}
     *              that is claimed decides the profile; sticky identifiers never move
     */
    public static Plan resolve(List<Identity> identities, LoginState state, long assertedAt, boolean signed,
                               Optional<String> adoptableOwner, Supplier<String> newUserId, ResolutionRules rules) {
        Optional<Identity> uid = identities.stream().filter(Identity::isUid).findFirst();
        Optional<String> decided = Optional.empty();
        if (uid.isPresent()) {
            decided = state.claim(uid.get()).map(Claim::userId).or(() -> adoptableOwner);
        } else {
            for (String identifier : rules.priority()) {
                decided = identities.stream().filter(i -> i.identifier().equals(identifier))
                        .map(state::claim).flatMap(Optional::stream).map(Claim::userId).findFirst();
                if (decided.isPresent()) {
                    break;
                }
            }
        }
        boolean newProfile = decided.isEmpty();
        String userId = decided.orElseGet(newUserId);
        return placeIdentities(identities, state, assertedAt, signed, userId, newProfile, rules);
    }

    public static Plan placeIdentities(List<Identity> identities, LoginState state, long assertedAt, boolean signed,
                                       String userId, boolean newProfile) {
        return placeIdentities(identities, state, assertedAt, signed, userId, newProfile, ResolutionRules.DEFAULT);
    }

    /** Where each identity goes once the profile is known (also used when adding identities to a session's user). */
    public static Plan placeIdentities(List<Identity> identities, LoginState state, long assertedAt, boolean signed,
                                       String userId, boolean newProfile, ResolutionRules rules) {
        List<Identity> toClaim = new ArrayList<>();
        List<Identity> kept = new ArrayList<>();
        List<Move> moves = new ArrayList<>();
        List<Conflict> conflicts = new ArrayList<>();
        for (Identity identity : identities) {
            Optional<Claim> claim = state.claim(identity);
            if (claim.isEmpty()) {
                toClaim.add(identity);
            } else if (claim.get().userId().equals(userId)) {
                kept.add(identity);
            } else if (rules.movable(identity) && signed && assertedAt > claim.get().assertedAt()) {
                moves.add(new Move(identity, claim.get()));
            } else {
                conflicts.add(new Conflict(identity, claim.get().userId()));
            }
        }
        return new Plan(userId, newProfile, toClaim, kept, moves, conflicts);
    }

    /** An email claimed by someone, when the token's uid is new: the candidate for adoption. */
    public static Optional<String> emailOwnerForNewUid(List<Identity> identities, LoginState state) {
        Optional<Identity> uid = identities.stream().filter(Identity::isUid).findFirst();
        if (uid.isEmpty() || state.claim(uid.get()).isPresent()) {
            return Optional.empty();
        }
        return identities.stream().filter(Identity::isEmail)
                .map(state::claim).flatMap(Optional::stream).map(Claim::userId).findFirst();
    }

    /** The identities the plan gives the profile, each with the time its ownership was asserted. */
    public static List<StoredIdentity> assigned(Plan plan, LoginState state, long assertedAt) {
        List<StoredIdentity> assigned = new ArrayList<>();
        plan.toClaim().forEach(i -> assigned.add(StoredIdentity.of(i, assertedAt)));
        plan.moves().forEach(m -> assigned.add(StoredIdentity.of(m.identity(), assertedAt)));
        plan.kept().forEach(i -> assigned.add(StoredIdentity.of(i, state.claim(i).map(Claim::assertedAt).orElse(assertedAt))));
        return assigned;
    }
}
