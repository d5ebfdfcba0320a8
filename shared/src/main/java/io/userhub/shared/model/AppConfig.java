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

    /** A kid is only ever an exact key into the ring, and only active keys verify (RFC 8725). */
    public Optional<SigningKey> activeKey(String kid) {
        return keyRing.stream().filter(k -> k.kid().equals(kid) && k.isActive()).findFirst();
    }

    public List<SigningKey> activeKeys() {
        return keyRing.stream().filter(SigningKey::isActive).toList();
    }

    /** The key new tokens are signed with: the newest active shared-secret key (userhub holds no private keys). */
    public Optional<SigningKey> signingKey() {
        return keyRing.stream().filter(SigningKey::isActive).filter(SigningKey::isSharedSecret)
                .max(java.util.Comparator.comparingLong(SigningKey::createdAt));
    }
}
