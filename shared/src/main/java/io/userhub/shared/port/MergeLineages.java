package io.userhub.shared.port;

import io.userhub.shared.event.DomainEvent;
import io.userhub.shared.identity.CarriedAttributes;
import io.userhub.shared.identity.UnmergePlan;
import io.userhub.shared.model.Claim;
import io.userhub.shared.model.Identity;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a merge left to be undone (its lineage), and the reads and the one write an unmerge makes.
 * A login or an identity addition that moves identities, or a MERGE that carries an anonymous
 * user's attributes, leaves a lineage named by its id (the merge id the audit records name). The
 * DynamoDB adapter is {@code store.DynamoMergeLineages}; testkit's in-memory store keeps the same contract.
 */
public interface MergeLineages {
    /** A moved identity: where it came from and the claims' times before and after. */
    record MovedIdentity(Identity identity, String fromUserId, long fromAssertedAt, long toAssertedAt) {}

    /** The anonymous user a MERGE emptied into the receiving user, and the attributes it filled in (keys the receiving user lacked). */
    record MergedAnonymous(String userId, CarriedAttributes filled) {}

    record Lineage(String mergeId, String appId, String userId, long at, List<MovedIdentity> moves,
                   Optional<MergedAnonymous> anonymous, Long undoneAt) {}

    /** A profile's liveness, as an undo needs it: present, not erased, and whom it was merged into. */
    record ProfileState(boolean live, String mergedInto) {}

    /** What an undo puts back, as the use case decided it; {@code event}'s audit record is written with it. */
    record Undo(String domainId, Lineage lineage, UnmergePlan.AttributeUndo attributes, long now, DomainEvent.UserUnmerged event) {}

    /** The lineage, read strongly consistent. */
    Optional<Lineage> find(String domainId, String userId, String mergeId);

    /** The claims' owners and times, by profile key, read strongly consistent. */
    Map<String, Claim> claims(String domainId, List<Identity> identities);

    Optional<ProfileState> profileState(String domainId, String userId);

    /** The user's attributes of the groups a merge carries, as they are now. */
    CarriedAttributes carriedAttributesOf(String domainId, String userId);

    /**
     * Undoes the merge, all or nothing: each identity back to its previous owner (only if still the
     * receiving user's with the merge's time), the removable attributes removed (each only if it still
     * has its value), the anonymous user no longer merged (only if still merged into the receiving
     * user), the lineage marked undone (only once: {@link Guard#LINEAGE} otherwise).
     */
    Commit undo(Undo undo);
}
