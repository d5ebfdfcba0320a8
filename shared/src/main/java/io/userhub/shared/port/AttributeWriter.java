package io.userhub.shared.port;

import io.userhub.shared.model.AttributeChanges;

/**
 * The port through which an attribute batch reaches a user's profile and app data: the DynamoDB
 * adapter ({@code store.AttributeStore}) and the in-memory one keep the same rules (per-key writes, the
 * tag cap of {@link io.userhub.shared.validation.TagCap}, nothing written on a refusal).
 */
public interface AttributeWriter {
    /**
     * @return false when the profile no longer exists (nothing was written)
     * @throws io.userhub.shared.validation.Rejection TAGS_LIMIT_EXCEEDED (nothing was written)
     */
    default boolean apply(String domainId, String userId, String appId, AttributeChanges changes, long now) {
        return apply(domainId, userId, appId, changes, now, null);
    }

    /**
     * @param anonymousExpiresAt for an anonymous user's batch, until when what it writes lives (its
     *                           activity pushes the profile's expiry back); null for an identified user
     */
    boolean apply(String domainId, String userId, String appId, AttributeChanges changes, long now, Long anonymousExpiresAt);
}
