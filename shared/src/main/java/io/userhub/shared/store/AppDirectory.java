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
public final class AppDirectory implements io.userhub.shared.port.Apps {
    private record Cached(AppConfig config, Instant loadedAt) {}

    private static final java.util.regex.Pattern VALID_APP_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final Function<String, Optional<AppConfig>> find;
    private final Clock clock;
    private final Duration lifetime;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    private final KeyUses keyUses;
    private final java.util.concurrent.Executor afterAnswer;
    private final io.userhub.shared.jwks.Jwks jwks;
    /** The day this function last wrote each key's use (app id + kid), so it writes at most once a day per key. */
    private final ConcurrentHashMap<String, Long> keyUseNoted = new ConcurrentHashMap<>();

    public AppDirectory(AppStore store, Clock clock, Duration lifetime) {
        this(store::find, null, Runnable::run, clock, lifetime);
    }

    /** @param keyUses where verifying keys' days of use are noted (null: not noted) */
    public AppDirectory(AppStore store, KeyUses keyUses, java.util.concurrent.Executor afterAnswer, Clock clock, Duration lifetime) {
        this(store::find, keyUses, afterAnswer, clock, lifetime);
    }

    /** @param find the app by id, from wherever apps are kept (an in-memory map in unit tests) */
    public AppDirectory(Function<String, Optional<AppConfig>> find, Clock clock, Duration lifetime) {
        this(find, null, clock, lifetime);
    }

    public AppDirectory(Function<String, Optional<AppConfig>> find, KeyUses keyUses, Clock clock, Duration lifetime) {
        this(find, keyUses, Runnable::run, clock, lifetime);
    }

    public AppDirectory(Function<String, Optional<AppConfig>> find, KeyUses keyUses, java.util.concurrent.Executor afterAnswer,
                        Clock clock, Duration lifetime) {
        this(find, keyUses, afterAnswer, clock, lifetime, true);
    }

    /**
     * @param afterAnswer runs the key-use notes after the answer (the function's background writer)
     * @param localUse    JWK Sets may be served on the loopback interface (the local server, tests); a deployed function's may not
     */
    public AppDirectory(Function<String, Optional<AppConfig>> find, KeyUses keyUses, java.util.concurrent.Executor afterAnswer,
                        Clock clock, Duration lifetime, boolean localUse) {
        this.jwks = new io.userhub.shared.jwks.Jwks(localUse);
        this.afterAnswer = afterAnswer;
        this.find = find;
        this.clock = clock;
        this.lifetime = lifetime;
        this.keyUses = keyUses;
    }

    /**
     * Notes that a key verified the token of a login that succeeded today (a refused request writes nothing). Each key's last day of use ({@link KeyUses}) is written
     * at most once a day per key by each warm function (and conditionally, so a second function's
     * write of the same day changes nothing), off the request's path: it never delays an answer.
     */
    @Override
    public void noteKeyUse(String appId, String kid) {
        if (keyUses == null || kid == null) {
            return;
        }
        long day = clock.instant().getEpochSecond() / 86_400;
        Long noted = keyUseNoted.get(appId + "#" + kid);
        if (noted != null && noted >= day) {
            return;
        }
        keyUseNoted.put(appId + "#" + kid, day);
        afterAnswer.execute(() -> {
            try {
                keyUses.record(appId, kid, day);
            } catch (RuntimeException lost) {
                // A day's mark lost to a fault is written by the next use: it is a hint, never a guarantee.
                keyUseNoted.remove(appId + "#" + kid, day);
            }
        });
    }

    /**
     * The app named in the path, once the request's credential proved it speaks for that app
     * ({@link io.userhub.shared.token.ServerCredentials}). An app-scope JWT's key has its day of
     * use noted, as a login's does; a refused credential notes nothing.
     */
    public AppConfig authenticated(String appId, String credential, Instant now) {
        AppConfig app = require(appId);
        io.userhub.shared.token.ServerCredentials.authenticate(credential, app, now).ifPresent(kid -> noteKeyUse(app.appId(), kid));
        return app;
    }

    /** How long a change to an app (keys, settings, a revocation) may take to reach this function. */
    public Duration lifetime() {
        return lifetime;
    }

    /** The app, or a rejection with {@code APP_NOT_FOUND}. Misses are not cached. */
    @Override
    public AppConfig require(String appId) {
        if (appId == null || !VALID_APP_ID.matcher(appId).matches()) {
            throw Problem.of(Reason.APP_NOT_FOUND).reject();
        }
        Instant now = clock.instant();
        Cached cached = cache.get(appId);
        if (cached != null && cached.loadedAt().plus(lifetime).isAfter(now)) {
            return withPublishedKeys(cached.config(), now);
        }
        AppConfig config = find.apply(appId).orElseThrow(() -> Problem.of(Reason.APP_NOT_FOUND).reject());
        cache.put(appId, new Cached(config, now));
        return withPublishedKeys(config, now);
    }

    private AppConfig withPublishedKeys(AppConfig config, Instant now) {
        return config.jwksUrl() == null ? config : config.withPublishedKeys(jwks.keys(config.jwksUrl(), now));
    }

    /**
     * A token named a kid that the app's ring and JWK Set lack: the set is fetched again (at most
     * once a minute per set), and the app with the new set is returned if it was. While the set
     * cannot be fetched (down, too slow for its deadline), such a login is 503 SERVICE_UNAVAILABLE;
     * tokens of the keys fetched before keep working.
     */
    @Override
    public Optional<AppConfig> refreshPublishedKeys(AppConfig app) {
        Instant now = clock.instant();
        if (app.jwksUrl() == null) {
            return Optional.empty();
        }
        boolean fetched = jwks.refreshForUnknownKid(app.jwksUrl(), now);
        if (jwks.unreachable(app.jwksUrl())) {
            // The kid may well be in a set that could not be had: a dependency's fault, not a bad token.
            throw Problem.withDetails(Reason.SERVICE_UNAVAILABLE, java.util.Map.of("problem", "JWKS_UNREACHABLE", "retryAfterSeconds", 60)).reject();
        }
        if (!fetched) {
            return Optional.empty();
        }
        Cached cached = cache.get(app.appId());
        return Optional.of(withPublishedKeys(cached == null ? app : cached.config(), now));
    }

    @Override
    public void forget(String appId) {
        invalidate(appId);
    }

    public void invalidate(String appId) {
        cache.remove(appId);
    }
}
