package io.userhub.shared.model;

import java.util.List;
import java.util.Optional;

/** An app as the functions see it: tenancy, feature flag, key ring, API key hashes, settings. */
public record AppConfig(
        String appId,
        String domainId,
        boolean identityEnabled,
        List<SigningKey> keyRing,
        List<String> apiKeyHashes,
        AppSettings settings) {

    public AppConfig {
        keyRing = List.copyOf(keyRing);
        apiKeyHashes = List.copyOf(apiKeyHashes);
    }

    /**
     * A kid is only ever an exact key into the ring, and only active keys inside their schedule
     * verify (RFC 8725).
     */
    public Optional<SigningKey> activeKey(String kid, java.time.Instant now) {
        return keyRing.stream().filter(k -> k.kid().equals(kid) && k.usableAt(now)).findFirst();
    }

    public List<SigningKey> activeKeys(java.time.Instant now) {
        return keyRing.stream().filter(k -> k.usableAt(now)).toList();
    }

    /** The key new tokens are signed with: the newest usable shared-secret key (userhub holds no private keys). */
    public Optional<SigningKey> signingKey(java.time.Instant now) {
        return keyRing.stream().filter(k -> k.usableAt(now)).filter(SigningKey::isSharedSecret)
                .max(java.util.Comparator.comparingLong(SigningKey::createdAt));
    }
}
