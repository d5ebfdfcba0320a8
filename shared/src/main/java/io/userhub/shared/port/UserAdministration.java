package io.userhub.shared.port;

import io.userhub.shared.model.Claim;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.UserDetails;

import java.util.Optional;

/**
 * What looking a user up, ending its sessions and erasing it need of the users' storage. Every
 * delete is conditional on the item still being the user's, so an erase half-way can be retried.
 * The DynamoDB adapter is {@code store.UserStore}.
 */
public interface UserAdministration {
    /** Who holds the identity in the domain (its claim), if anyone. */
    Optional<Claim> findClaim(String domainId, Identity identity);

    /** The user's profile and every other item of its partition, read strongly consistent; empty without a profile. */
    Optional<UserDetails.Partition> readPartition(String domainId, String userId);

    /** Marks the profile erased (every later write onto it is refused); false when there is no live profile. */
    boolean tombstone(String domainId, String userId, long now);

    /** Deletes the identity's claim if the user still holds it. */
    boolean releaseClaim(String domainId, Identity identity, String userId);

    /** Keeps the erased identity's digest (never its value) until {@code until}, so that an import can say it was erased. */
    void leaveErasedTombstone(String domainId, Identity identity, long now, long until);

    /** Deletes the app's security-hash pin of this user id if it is still the user's. */
    boolean deletePin(String appId, String userIdValue, String userId);

    /** Deletes one item of the user's partition, by the sort key {@link #readPartition} named. */
    boolean deletePartitionItem(String domainId, String userId, String sortKey);

    /** Deletes the (erased) profile, last. */
    boolean deleteProfile(String domainId, String userId);
}
