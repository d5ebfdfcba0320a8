package io.userhub.shared.model;

/**
 * What userhub remembers of a device of an app: its version (the optimistic lock that turns a
 * concurrent login into LOGIN_IN_PROGRESS), its anonymous user, and its current session.
 */
public record DeviceState(boolean exists, long version, String anonymousUserId, String sessionKey, String lastUserId) {

    public static DeviceState absent() {
        return new DeviceState(false, 0, null, null, null);
    }
}
