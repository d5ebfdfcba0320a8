package io.userhub.shared.model;

/**
 * Where a session token's session is and what proves it: the item key under the token's app
 * and the SHA-256 of the token's secret, which the item must carry. A token of the first layout
 * ({@code <app>.<random>}) is keyed by its whole hash, which is its proof: {@code secretHash} is null.
 */
public record SessionKey(String appId, String key, String secretHash) {
    public boolean legacy() {
        return secretHash == null;
    }
}
