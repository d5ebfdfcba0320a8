package io.userhub.shared.token;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.userhub.shared.model.SigningKey;

import java.util.Map;

/** Signs tokens with one key of an app's ring, always naming it in the {@code kid} header. */
public final class TokenSigner {
    private TokenSigner() {}

    public static String sign(SigningKey key, Map<String, ?> claims) {
        return JWT.create()
                .withKeyId(key.kid())
                .withPayload(claims)
                .sign(algorithm(key));
    }

    private static Algorithm algorithm(SigningKey key) {
        return switch (key.alg()) {
            case "HS256" -> Algorithm.HMAC256(key.secret());
            case "HS384" -> Algorithm.HMAC384(key.secret());
            case "HS512" -> Algorithm.HMAC512(key.secret());
            default -> throw new IllegalArgumentException("unsupported algorithm " + key.alg());
        };
    }
}
