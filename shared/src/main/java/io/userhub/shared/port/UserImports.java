package io.userhub.shared.port;

import io.userhub.shared.model.Claim;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.LoginState;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a CSV import of users needs of the users' storage: the claims of a batch's user ids, the
 * stored fields to compare with, erased identities, and the conditional writes that create,
 * update and pin a user. The DynamoDB adapter is {@code store.UserStore}.
 */
public interface UserImports {
    /** A profile's user-record fields (user-id mode, import) and global custom fields. */
    record UserFields(Map<String, String> fields, Map<String, String> customFields) {}

    LoginState readClaims(String domainId, List<Identity> identities);

    Optional<Claim> findClaim(String domainId, Identity identity);

    /** The stored fields of these users, by user id. */
    Map<String, UserFields> findUserFields(String domainId, List<String> userIds);

    /** When each of these identities was erased (by profile key), for those erased within the retention. */
    Map<String, Long> erasedAt(String domainId, List<Identity> identities, long now);

    /** Creates the user with its uid claim; false when the uid was claimed meanwhile (nothing written). */
    boolean createImportedUser(String domainId, String userId, Identity uid, String displayName, UserFields fields, long now);

    /** Replaces the user's fields; false when they were the same already or the profile is gone. */
    boolean updateUserFields(String domainId, String userId, UserFields fields, long now);

    /** Pins the security hash of the user id for the app unless one is pinned already. */
    boolean pinImported(String domainId, String appId, String userIdValue, String pinHash, String userId);
}
