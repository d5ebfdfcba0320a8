package io.userhub.shared.session;

import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.store.Keys;
import io.userhub.shared.store.SessionStore;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Session tokens are {@code <appId>.<256 random bits, base64url>}: the app id lets a session
 * route find the session under its app's key prefix without a path parameter, and the random
 * part is what makes it unguessable. Only the SHA-256 of the whole token is stored.
 */
public final class SessionTokens {
    private SessionTokens() {}

    private static final Pattern FORMAT = Pattern.compile("([A-Za-z0-9_-]{1,64})\\.([A-Za-z0-9_-]{43})");

    public static String newToken(String appId) {
        return appId + "." + Hashing.randomToken();
    }

    public static Optional<String> appIdOf(String token) {
        Matcher matcher = FORMAT.matcher(token);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** The session item key of a well-formed token. */
    public static String key(String appId, String token) {
        return Keys.session(appId, SessionStore.tokenHash(token));
    }
}
