package io.userhub.shared.model;

/**
 * Where a session token's session is and what proves it: the key of the device's item under the
 * token's app and the SHA-256 of the token's secret, which the item must carry.
 */
public record SessionKey(String appId, String key, String secretHash) {}
