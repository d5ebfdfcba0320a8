package io.userhub.shared.token;

import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.SigningKey;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Intercom-style identity verification for the user-id login mode: the customer's backend
 * computes {@code hex(HMAC-SHA256(secret, user_id))} with the secret of one of the app's active
 * HS keys and hands it to the widget as {@code security_hash}.
 */
public final class UserIdSignatures {
    private UserIdSignatures() {}

    /** Whether {@code securityHash} is the HMAC of {@code userId} under one of the app's active HS keys (constant time). */
    public static boolean matches(AppConfig app, String userId, String securityHash, java.time.Instant now) {
        if (securityHash == null) {
            return false;
        }
        byte[] presented = securityHash.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (SigningKey key : app.activeKeys(now)) {
            if (key.alg().startsWith("HS")) {
                match |= MessageDigest.isEqual(sign(key.secret(), userId).getBytes(StandardCharsets.US_ASCII), presented);
            }
        }
        return match;
    }

    /** What the customer's backend computes; also used by the demo and the tests. */
    public static String sign(String secret, String userId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(userId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC unavailable", e);
        }
    }
}
