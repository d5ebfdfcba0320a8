package io.userhub.shared.session;

import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.model.SessionKey;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Session tokens are {@code <appId>.<device digest>.<256 random bits, base64url>}. The app id
 * lets a session route find the session under its app's key prefix without a path parameter; the
 * device digest (the SHA-256 of the device id, as in every key) names the device's item, which
 * holds the device's one session, so a login replaces it in place; the random part is the proof,
 * kept only as its SHA-256.
 */
public final class SessionTokens {
    private SessionTokens() {}

    private static final Pattern FORMAT = Pattern.compile("([A-Za-z0-9_-]{1,64})\\.([a-f0-9]{64})\\.([A-Za-z0-9_-]{43})");

    /** A token issued to a device, and what its session item keeps of it. */
    public record Issued(String token, SessionKey key) {}

    public static Issued issue(String appId, String deviceId) {
        String digest = Hashing.sha256Hex(deviceId);
        String secret = Hashing.randomToken();
        return new Issued(appId + "." + digest + "." + secret,
                new SessionKey(appId, digest, Hashing.sha256Hex(secret)));
    }

    public static Optional<SessionKey> parse(String token) {
        if (token == null) {
            return Optional.empty();
        }
        Matcher matcher = FORMAT.matcher(token);
        return matcher.matches()
                ? Optional.of(new SessionKey(matcher.group(1), matcher.group(2),
                        Hashing.sha256Hex(matcher.group(3))))
                : Optional.empty();
    }

    public static Optional<String> appIdOf(String token) {
        return parse(token).map(SessionKey::appId);
    }
}
