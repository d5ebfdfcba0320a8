package io.userhub.shared.model;

/**
 * Where a session token's session is and what proves it: the token's app, the SHA-256 of the
 * device id (which names the device's one session), and the SHA-256 of the token's secret, which
 * the stored session must carry. Where a store keeps it is the store's business.
 */
public record SessionKey(String appId, String deviceDigest, String secretHash) {}
