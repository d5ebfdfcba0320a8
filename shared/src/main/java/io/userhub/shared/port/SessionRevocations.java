package io.userhub.shared.port;

/** An incident's revocation: every session of an app issued before an instant ends. */
public interface SessionRevocations {
    /**
     * @return the instant in force after the call (it only moves forward), epoch s
     * @throws io.userhub.shared.validation.Rejection APP_NOT_FOUND for an unknown app
     */
    long revokeSessionsBefore(String appId, long before);
}
