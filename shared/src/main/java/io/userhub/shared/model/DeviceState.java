package io.userhub.shared.model;

/**
 * What userhub remembers of a device of an app, on the device's item in the sessions table: its
 * version (the optimistic lock that turns a concurrent login into LOGIN_IN_PROGRESS), the user
 * its session belongs to, its anonymous user, the digest of what its last login asserted (so
 * that an unchanged returning login needs no profile write), and until
 * when its anonymous user's profile and pointer were last given to live ({@code anonymousExpiresAt},
 * epoch seconds, 0 when unknown), so that a returning login pushes that back at most once a day.
 */
public record DeviceState(boolean exists, long version, String anonymousUserId, String lastUserId,
                          String loginDigest, long anonymousExpiresAt) {

    public DeviceState(boolean exists, long version, String anonymousUserId, String lastUserId,
                       String loginDigest) {
        this(exists, version, anonymousUserId, lastUserId, loginDigest, 0);
    }

    public static DeviceState absent() {
        return new DeviceState(false, 0, null, null, null, 0);
    }

    /** Whether the device's item already belongs to this user, so a login can replace its session in place. */
    public boolean ownedBy(String userId) {
        return exists && userId.equals(lastUserId);
    }
}
