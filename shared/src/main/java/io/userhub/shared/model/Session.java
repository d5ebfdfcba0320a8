package io.userhub.shared.model;

import java.time.Instant;

/**
 * A login session. The token itself is never kept; only its SHA-256 is (in the key).
 * {@code fullPrivacy} remembers the login's full privacy flag: identities added later keep to it.
 */
public record Session(
        String sessionId,
        String appId,
        String domainId,
        String userId,
        String deviceId,
        Instant createdAt,
        Instant expiresAt,
        Instant refreshAt,
        boolean anonymous,
        boolean fullPrivacy) {}
