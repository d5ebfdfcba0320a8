package io.userhub.shared.port;

import io.userhub.shared.model.AppConfig;

import java.util.Optional;

/**
 * The apps as the use cases see them: by id, with the keys their JWK Sets publish. The adapter
 * ({@code store.AppDirectory}) caches them in the warm function and fetches JWK Sets; unit tests
 * hand in a map.
 */
public interface Apps {
    /** The app, or a rejection with {@code APP_NOT_FOUND}. */
    AppConfig require(String appId);

    /** A key verified the token of a request that succeeded: its day of use is noted, off the request's path. */
    void noteKeyUse(String appId, String kid);

    /** A token named a kid the app lacks: its JWK Set fetched again; the app with the new set if it was. */
    Optional<AppConfig> refreshPublishedKeys(AppConfig app);

    /** The app changed here (its webhook endpoints, say): this function reads it afresh next time. Others within their cache's lifetime. */
    default void forget(String appId) {
    }
}
