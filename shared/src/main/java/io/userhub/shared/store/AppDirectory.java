package io.userhub.shared.store;

import io.userhub.shared.model.AppConfig;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * App configuration cached in the warm function for a short time, so that a login pays no
 * DynamoDB round trip for it. Key rotation reaches every function within the cache lifetime.
 */
public final class AppDirectory {
    private record Cached(AppConfig config, Instant loadedAt) {}

    private static final java.util.regex.Pattern VALID_APP_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final Function<String, Optional<AppConfig>> find;
    private final Clock clock;
    private final Duration lifetime;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    public AppDirectory(AppStore store, Clock clock, Duration lifetime) {
        this(store::find, clock, lifetime);
    }

    /** @param find the app by id, from wherever apps are kept (an in-memory map in unit tests) */
    public AppDirectory(Function<String, Optional<AppConfig>> find, Clock clock, Duration lifetime) {
        this.find = find;
        this.clock = clock;
        this.lifetime = lifetime;
    }

    /** The app, or a rejection with {@code APP_NOT_FOUND}. Misses are not cached. */
    public AppConfig require(String appId) {
        if (appId == null || !VALID_APP_ID.matcher(appId).matches()) {
            throw Problem.of(Reason.APP_NOT_FOUND).reject();
        }
        Instant now = clock.instant();
        Cached cached = cache.get(appId);
        if (cached != null && cached.loadedAt().plus(lifetime).isAfter(now)) {
            return cached.config();
        }
        AppConfig config = find.apply(appId).orElseThrow(() -> Problem.of(Reason.APP_NOT_FOUND).reject());
        cache.put(appId, new Cached(config, now));
        return config;
    }

    public void invalidate(String appId) {
        cache.remove(appId);
    }
}
