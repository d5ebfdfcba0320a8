package io.userhub.shared.port;

import io.userhub.shared.event.DomainEvent;
import io.userhub.shared.identity.IdentityResolution.Plan;
import io.userhub.shared.identity.MergePolicy.Carried;
import io.userhub.shared.model.DeviceState;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.LoginState;
import io.userhub.shared.model.Profile;
import io.userhub.shared.model.Session;
import io.userhub.shared.model.SessionKey;
import io.userhub.shared.model.StoredIdentity;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What login and identity addition read and write, at the level of what they mean. Use cases
 * say what a login does ({@link LoginWrite}); the store decides how it is written and answers
 * with a {@link Commit}: committed, or refused with the guards whose conditions failed. The
 * DynamoDB store is {@code store.DynamoLoginStore}; testkit's InMemoryLoginStore keeps the same
 * conditions in memory for unit tests, and one contract suite runs against both.
 */
public interface LoginStore {

    /**
     * The claims of the identities, the device and the pin, as of one read that may lag the last
     * writes by a moment: every write that depends on it is conditional on what it read.
     */
    LoginState readLoginState(String domainId, String appId, List<Identity> identities, String deviceId, String pinUserId);

    /** The claims of the identities only. */
    LoginState readClaims(String domainId, List<Identity> identities);

    Optional<Profile> findProfile(String domainId, String userId);

    /** The profile for a login's response, which may lag its last write by a moment. */
    default Optional<Profile> viewProfile(String domainId, String userId) {
        return findProfile(domainId, userId);
    }

    /** The anonymous user the MERGE policy may carry into an identified user: anonymous, not merged, not erased. */
    Optional<MergeableAnonymous> mergeableAnonymous(String domainId, String anonymousUserId);

    /**
     * An anonymous user whose data a MERGE carries ({@link io.userhub.shared.identity.MergePolicy}):
     * its profile-wide groups, and each app's groups by app id, as plain values (strings, numbers,
     * {@code true} for a tag). The login passes it back unopened in its {@link LoginWrite}.
     */
    record MergeableAnonymous(String userId, Map<Carried, Map<String, Object>> profile,
                              Map<String, Map<Carried, Map<String, Object>>> apps) {
        public MergeableAnonymous {
            profile = Map.copyOf(profile);
            apps = Map.copyOf(apps);
        }
    }

    /** A login's writes, all or nothing. */
    Commit commitLogin(LoginWrite write);

    /**
     * Identities added to a logged-in user: its profile, the claims, the jti, and the audit records
     * of {@code events} (what moved and what stayed); all or nothing.
     *
     * @param additionId the addition's id: the cause its events name, the merge id of what it moved
     */
    Commit commitIdentityAddition(String domainId, String appId, String userId, List<StoredIdentity> assigned,
                                  Plan plan, long assertedAt, Optional<UsedJti> jti, long now, String additionId,
                                  List<DomainEvent> events);

    /**
     * The same, also keeping on the profile identities the token said are unverified (no claim).
     * A store that keeps no such identities (the in-memory one) ignores them.
     */
    default Commit commitIdentityAddition(String domainId, String appId, String userId, List<StoredIdentity> assigned,
                                          Plan plan, long assertedAt, Optional<UsedJti> jti, long now, String additionId,
                                          List<DomainEvent> events, List<StoredIdentity> unverified) {
        return commitIdentityAddition(domainId, appId, userId, assigned, plan, assertedAt, jti, now, additionId, events);
    }

    /** What a login does to the profile it lands on. */
    public sealed interface ProfileWrite {
        /**
         * A new profile with these identities, user-id-mode fields, and a pin for the app if one is set now;
         * {@code unverified}: identities the token says are unverified, kept apart (no claim).
         */
        record Create(boolean anonymous, String displayName, List<StoredIdentity> identities, Map<String, String> fields,
                      boolean pinned, List<StoredIdentity> unverified) implements ProfileWrite {
            public Create(boolean anonymous, String displayName, List<StoredIdentity> identities, Map<String, String> fields,
                          boolean pinned) {
                this(anonymous, displayName, identities, fields, pinned, List.of());
            }
        }

        /** Per-key updates of an existing, live profile; {@code displayName} is null to keep it. */
        record Update(List<StoredIdentity> assigned, Map<String, String> fields, boolean pinned, String displayName,
                      List<StoredIdentity> unverified) implements ProfileWrite {
            public Update(List<StoredIdentity> assigned, Map<String, String> fields, boolean pinned, String displayName) {
                this(assigned, fields, pinned, displayName, List.of());
            }
        }

        /** An existing anonymous profile, which must still be live and not merged into another. */
        record KeepAnonymous() implements ProfileWrite {}

        /**
         * A returning user whose login asserts what the device's last login asserted: the profile
         * is not written. When the device's item already belongs to the user, the login is one
         * write of that item; otherwise the profile must still be live and hold the kept identities.
         */
        record Unchanged() implements ProfileWrite {}
    }

    /** A used jti, single-use until {@code expiresAt}. */
    public record UsedJti(String jti, long expiresAt) {}

    /**
     * Until when what an anonymous login made lives (epoch seconds): the anonymous profile, the
     * device's pointer in its partition, the device's item. {@code extendProfile}: this login
     * pushes the existing profile's and pointer's expiry back too (at most once a day per device).
     */
    public record AnonymousExpiry(long expiresAt, boolean extendProfile) {}

    /**
     * One of a source IP's new anonymous devices for the hour: a counter item per app, IP digest
     * and hour, which the login's transaction raises only while it is below {@code limit}.
     */
    public record NewDeviceAllowance(String sourceIpDigest, long hour, int limit) {}

    /** A security hash to pin for a user id of the user-id mode. */
    public record Pin(String userIdValue, String pinHash) {}

    /**
     * A login, as the use case decided it.
     *
     * @param plan            where the identities go (null for an anonymous login)
     * @param merged          the anonymous user whose data the MERGE policy carries over
     * @param anonymousUserId the device's anonymous user from now on (null: none)
     * @param sessionKey      where the new session goes (the device's item) and the digest of its token's secret
     * @param loginDigest     what the login asserted ({@code LoginDigest}), remembered on the device's item
     * @param loginId         the login's id: its audit record's, and the merge id of what it moved or merged
     * @param events          what the login does; a transaction carries their audit records (a record written
     *                        again under its id replaces itself, so a retried login leaves one), a single
     *                        UpdateItem cannot, and the store then answers {@link Commit#COMMITTED_WITHOUT_RECORDS}
     * @param anonymousExpiry for an anonymous login, until when what it made lives; empty otherwise
     * @param newDeviceAllowance a login that makes a new anonymous device takes one of its source IP's
     *                        allowance for the hour, in the same transaction; empty otherwise
     */
    public record LoginWrite(String domainId, String appId, String userId, long now,
                             ProfileWrite profile, Plan plan, long assertedAt, Optional<MergeableAnonymous> merged,
                             String deviceId, DeviceState device, String anonymousUserId,
                             Session session, SessionKey sessionKey, String loginDigest,
                             Optional<UsedJti> jti, Optional<Pin> pin, String loginId, List<DomainEvent> events,
                             Optional<AnonymousExpiry> anonymousExpiry, Optional<NewDeviceAllowance> newDeviceAllowance) {

        public LoginWrite(String domainId, String appId, String userId, long now,
                          ProfileWrite profile, Plan plan, long assertedAt, Optional<MergeableAnonymous> merged,
                          String deviceId, DeviceState device, String anonymousUserId,
                          Session session, SessionKey sessionKey, String loginDigest,
                          Optional<UsedJti> jti, Optional<Pin> pin, String loginId, List<DomainEvent> events) {
            this(domainId, appId, userId, now, profile, plan, assertedAt, merged, deviceId, device, anonymousUserId, session,
                    sessionKey, loginDigest, jti, pin, loginId, events, Optional.empty(), Optional.empty());
        }

        /** Nothing but the session changes, on a device whose item is the user's already: one write, no transaction. */
        public boolean replacesSessionOnly() {
            boolean profileUntouched = profile instanceof ProfileWrite.Unchanged || profile instanceof ProfileWrite.KeepAnonymous;
            boolean noIdentityWrites = plan == null || (plan.toClaim().isEmpty() && plan.moves().isEmpty());
            boolean noUpkeep = anonymousExpiry.map(expiry -> !expiry.extendProfile()).orElse(true) && newDeviceAllowance.isEmpty();
            return profileUntouched && noIdentityWrites && merged.isEmpty() && jti.isEmpty() && pin.isEmpty()
                    && device.ownedBy(userId) && noUpkeep;
        }
    }

}
