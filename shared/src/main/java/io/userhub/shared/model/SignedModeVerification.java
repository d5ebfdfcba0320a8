package io.userhub.shared.model;

/**
 * How the signed login modes (identities JWT, external-id JWT) treat a login that sends its
 * identities unsigned (plain {@code identities}, or an {@code external_id} without {@code jwt}),
 * so that an integrator can roll out signing without locking users out. An unsigned login is
 * never trusted: it resolves in the unverified namespace ({@code unverified_uid}, as user-id
 * logins without HMAC do), so it never reaches a profile that a signed token established. A
 * JWT, when sent, is verified in every stage: a bad signature is always refused.
 */
public enum SignedModeVerification {
    /** Signing not rolled out yet: unsigned logins are accepted (recorded in the audit trail like every login). */
    OFF,
    /** Rolling out: unsigned logins are still accepted, and each is counted (metric UnverifiedLogins) so the rest can be found. */
    OPTIONAL,
    /** Enforced (the default): an unsigned login is refused, 401 IDENTITY_TOKEN_INVALID with cause UNSIGNED. */
    REQUIRED
}
