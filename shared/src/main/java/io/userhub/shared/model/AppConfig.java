package io.userhub.shared.model;

import java.util.List;
import java.util.Optional;

/**
 * An app as the functions see it: tenancy, feature flag, key ring, API key hashes, settings, the
 * URL of a JWK Set whose keys join the ring (null for none), the instant (epoch s, 0 for none)
 * before which every session was revoked, and the event types some webhook endpoint of the app
 * subscribes to, enabled or not (kept on the app so that knowing whether an outcome is recorded
 * for the webhooks costs no read).
 */
public record AppConfig(
        String appId,
        String domainId,
        boolean identityEnabled,
        List<SigningKey> keyRing,
        List<String> apiKeyHashes,
        AppSettings settings,
        String jwksUrl,
        long sessionsRevokedBefore,
        java.util.Set<String> webhookTypes) {

    public AppConfig(String appId, String domainId, boolean identityEnabled, List<SigningKey> keyRing, List<String> apiKeyHashes,
                     AppSettings settings, String jwksUrl, long sessionsRevokedBefore) {
        this(appId, domainId, identityEnabled, keyRing, apiKeyHashes, settings, jwksUrl, sessionsRevokedBefore, java.util.Set.of());
    }

    public AppConfig(String appId, String domainId, boolean identityEnabled, List<SigningKey> keyRing, List<String> apiKeyHashes,
                     AppSettings settings, String jwksUrl) {
        this(appId, domainId, identityEnabled, keyRing, apiKeyHashes, settings, jwksUrl, 0);
    }

    /**
     * Whether a session created at {@code createdAt} was ended by a revocation for an incident
     * (a leaked key or API key): every session issued before the app's {@code sessionsRevokedBefore}.
     */
    public boolean revokes(java.time.Instant createdAt) {
        return createdAt.getEpochSecond() < sessionsRevokedBefore;
    }

    public AppConfig {
        keyRing = List.copyOf(keyRing);
        apiKeyHashes = List.copyOf(apiKeyHashes);
        webhookTypes = webhookTypes == null ? java.util.Set.of() : java.util.Set.copyOf(webhookTypes);
    }

    public AppConfig(String appId, String domainId, boolean identityEnabled, List<SigningKey> keyRing, List<String> apiKeyHashes,
                     AppSettings settings) {
        this(appId, domainId, identityEnabled, keyRing, apiKeyHashes, settings, null);
    }

    /** The app with the keys of its JWK Set in the ring; a kid of the app's own ring wins over the set's. */
    public AppConfig withPublishedKeys(List<SigningKey> published) {
        List<SigningKey> ring = new java.util.ArrayList<>(keyRing);
        published.stream().filter(k -> keyRing.stream().noneMatch(own -> own.kid().equals(k.kid()))).forEach(ring::add);
        return new AppConfig(appId, domainId, identityEnabled, ring, apiKeyHashes, settings, jwksUrl, sessionsRevokedBefore, webhookTypes);
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
