package io.userhub.shared.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Signing per the Standard Webhooks specification: a secret is {@code whsec_} and the base64 of
 * 24 random bytes; a delivery carries {@code webhook-id}, {@code webhook-timestamp} (epoch s) and
 * {@code webhook-signature}, a space-separated list of {@code v1,<base64 HMAC-SHA256 of
 * id.timestamp.body>}, one per secret in force (a rotated secret signs beside the new one during
 * its overlap). {@link #verify} is what a receiver does (the Java example, and tests).
 */
public final class StandardWebhooks {
    private StandardWebhooks() {}

    private static final String PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How far a delivery's timestamp may be from the receiver's clock (the specification's suggestion). */
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    public static String newSecret() {
        byte[] key = new byte[24];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    public static boolean isSecret(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(secret.substring(PREFIX.length())).length >= 24;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    /** The {@code webhook-signature} header: one {@code v1,} signature per secret. */
    public static String signature(List<String> secrets, String id, long timestamp, String body) {
        return secrets.stream().map(secret -> "v1," + Base64.getEncoder().encodeToString(hmac(secret, id, timestamp, body)))
                .collect(Collectors.joining(" "));
    }

    /** Whether the headers prove the body: a {@code v1} signature by the secret, and a timestamp within the tolerance. */
    public static boolean verify(String secret, String id, String timestamp, String signatureHeader, String body, Instant now) {
        long sent;
        try {
            sent = Long.parseLong(timestamp);
        } catch (NumberFormatException | NullPointerException malformed) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - sent) > TOLERANCE.toSeconds() || signatureHeader == null) {
            return false;
        }
        byte[] expected = hmac(secret, id, sent, body);
        for (String signature : signatureHeader.split(" ")) {
            if (signature.startsWith("v1,")) {
                try {
                    if (MessageDigest.isEqual(expected, Base64.getDecoder().decode(signature.substring(3)))) {
                        return true;
                    }
                } catch (IllegalArgumentException notBase64) {
                    // another signature may still match
                }
            }
        }
        return false;
    }

    private static byte[] hmac(String secret, String id, long timestamp, String body) {
        if (!isSecret(secret)) {
            throw new IllegalArgumentException("not a whsec_ secret");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(PREFIX.length())), "HmacSHA256"));
            return mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
