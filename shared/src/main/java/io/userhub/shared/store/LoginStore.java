package io.userhub.shared.store;

import io.userhub.shared.identity.IdentityResolution.Plan;
import io.userhub.shared.model.DeviceState;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.LoginState;
import io.userhub.shared.model.Profile;
import io.userhub.shared.model.Session;
import io.userhub.shared.model.StoredIdentity;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What login and identity addition read and write, at the level of what they mean. Use cases
 * say what a login does ({@link LoginWrite}); the store decides how it is written and answers
 * with a {@link Commit}: committed, or refused with the guards whose conditions failed. The
 * DynamoDB store is {@link DynamoLoginStore}; testkit's InMemoryLoginStore keeps the same
 * conditions in memory for unit tests, and one contract suite runs against both.
 */
public interface LoginStore {

    /** The claims of the identities, the device and the pin, as of one consistent read. */
    LoginState readLoginState(String domainId, String appId, List<Identity> identities, String deviceId, String pinUserId);

    /** The claims of the identities only. */
    LoginState readClaims(String domainId, List<Identity> identities);

    Optional<Profile> findProfile(String domainId, String userId);

    /** The anonymous user the MERGE policy may carry into an identified user: anonymous, not merged, not erased. */
    Optional<UserStore.MergeableAnonymous> mergeableAnonymous(String domainId, String anonymousUserId);

    /** A login's writes, all or nothing. */
    Commit commitLogin(LoginWrite write);

    /** Identities added to a logged-in user: its profile, the claims, the jti; all or nothing. */
    Commit commitIdentityAddition(String domainId, String appId, String userId, List<StoredIdentity> assigned,
                                  Plan plan, long assertedAt, Optional<UsedJti> jti, long now);

    /** What a login does to the profile it lands on. */
    public sealed interface ProfileWrite {
        /** A new profile with these identities, user-id-mode fields, and a pin for the app if one is set now. */
        record Create(boolean anonymous, String displayName, List<StoredIdentity> identities, Map<String, String> fields,
                      boolean pinned) implements ProfileWrite {}

        /** Per-key updates of an existing, live profile; {@code displayName} is null to keep it. */
        record Update(List<StoredIdentity> assigned, Map<String, String> fields, boolean pinned, String displayName)
                implements ProfileWrite {}

        /** An existing anonymous profile, which must still be live and not merged into another. */
        record KeepAnonymous() implements ProfileWrite {}
    }

    /** A used jti, single-use until {@code expiresAt}. */
    public record UsedJti(String jti, long expiresAt) {}

    /** A security hash to pin for a user id of the user-id mode. */
    public record Pin(String userIdValue, String pinHash) {}

    /**
     * A login, as the use case decided it.
     *
     * @param plan            where the identities go (null for an anonymous login)
     * @param merged          the anonymous user whose data the MERGE policy carries over
     * @param anonymousUserId the device's anonymous user from now on (null: none)
     * @param namedSessionKey the session of the login's Authorization header, ended only if it is this device's
     */
    public record LoginWrite(String domainId, String appId, String userId, long now,
                             ProfileWrite profile, Plan plan, long assertedAt, Optional<UserStore.MergeableAnonymous> merged,
                             String deviceId, DeviceState device, String anonymousUserId,
                             Session session, String tokenHash, Optional<String> namedSessionKey,
                             Optional<UsedJti> jti, Optional<Pin> pin) {}

}
