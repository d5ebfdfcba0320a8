package io.userhub.shared.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.json.Json;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.SigningKey;
import io.userhub.shared.validation.Limits;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Rejection;
import io.userhub.shared.validation.TokenFailureCause;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a compact JWS against one app's key ring, following RFC 8725: size and nesting capped
 * before parsing, duplicate members rejected, {@code none} and algorithm confusion rejected,
 * key material in the header never trusted, unknown {@code crit} rejected, and a {@code kid}
 * used only as an exact key into the app's own ring.
 */
public final class TokenVerifier {
    private TokenVerifier() {}

    /** Whether the token must name its key. External-id and app-scope tokens must (Sunshine). */
    public enum KidPolicy { REQUIRED, OPTIONAL }

    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*");
    private static final Set<String> UNTRUSTED_HEADERS = Set.of("jwk", "jku", "x5u", "x5c", "x5t", "x5t#S256");
    private static final List<String> NUMERIC_CLAIMS = List.of("iat", "exp", "nbf");
    /** The largest NumericDate accepted: 2^40 seconds. */
    public static final java.math.BigDecimal NUMERIC_DATE_MAX = java.math.BigDecimal.valueOf(1L << 40);

    /**
     * The kid a token's header names, if it is one of the app's keys (or its JWK Set's), without
     * verifying anything: what a refused login's audit record may say about the key it named.
     * A kid the app never had is not repeated, so a stranger cannot write strings of its choosing.
     */
    public static Optional<String> knownKidOf(String token, AppConfig app) {
        if (token == null || token.length() > Limits.TOKEN_LENGTH_MAX) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        try {
            JsonNode kid = decodeObject(dot < 0 ? token : token.substring(0, dot)).get("kid");
            return kid != null && kid.isTextual() && app.keyRing().stream().anyMatch(k -> k.kid().equals(kid.asText()))
                    ? Optional.of(kid.asText()) : Optional.empty();
        } catch (Rejection notAHeader) {
            return Optional.empty();
        }
    }

    /** @param now which keys are inside their schedule (SigningKey.usableAt) */
    public static VerifiedToken verify(String token, AppConfig app, KidPolicy kidPolicy, java.time.Instant now) {
        return verify(token, app, kidPolicy, now, false);
    }

    /**
     * @param decimalStringExp whether {@code exp} may also be a string of decimal digits, as
     *                         Sunshine Conversations' own sample writes it ({@code "exp": "1542499200"});
     *                         only an app's Sunshine compatibility setting asks for it
     */
    public static VerifiedToken verify(String token, AppConfig app, KidPolicy kidPolicy, java.time.Instant now,
                                       boolean decimalStringExp) {
        if (token == null || token.isBlank()) {
            throw Problem.token(TokenFailureCause.MALFORMED).reject();
        }
        if (token.length() > Limits.TOKEN_LENGTH_MAX) {
            throw Problem.token(TokenFailureCause.MALFORMED, "problem", "TOKEN_TOO_LARGE").reject();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw Problem.token(TokenFailureCause.MALFORMED).reject();
        }
        ObjectNode header = decodeObject(parts[0]);
        ObjectNode payload = decodeObject(parts[1]);
        byte[] signature = decode(parts[2]);

        String alg = checkHeader(header);
        List<SigningKey> candidates = candidateKeys(header, app, kidPolicy, now);
        List<SigningKey> matchingAlg = candidates.stream().filter(k -> k.alg().equals(alg)).toList();
        if (matchingAlg.isEmpty()) {
            throw Problem.token(TokenFailureCause.ALGORITHM).reject();
        }
        byte[] signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        SigningKey verifiedBy = matchingAlg.stream()
                .filter(key -> signatureMatches(key, signingInput, signature))
                .findFirst()
                .orElseThrow(() -> Problem.token(TokenFailureCause.SIGNATURE).reject());
        checkNumericClaims(payload, decimalStringExp);
        return new VerifiedToken(verifiedBy.kid(), header, payload);
    }

    private static String checkHeader(ObjectNode header) {
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isTextual()) {
            throw Problem.token(TokenFailureCause.MALFORMED, "header", "alg").reject();
        }
        if (alg.asText().toLowerCase(Locale.ROOT).equals("none")) {
            throw Problem.token(TokenFailureCause.ALGORITHM).reject();
        }
        for (String untrusted : UNTRUSTED_HEADERS) {
            if (header.has(untrusted)) {
                throw Problem.token(TokenFailureCause.MALFORMED, "header", untrusted).reject();
            }
        }
        // No extension is understood, so any critical one must be refused (RFC 7515 4.1.11).
        if (header.has("crit")) {
            throw Problem.token(TokenFailureCause.MALFORMED, "header", "crit").reject();
        }
        return alg.asText();
    }

    private static List<SigningKey> candidateKeys(ObjectNode header, AppConfig app, KidPolicy kidPolicy, java.time.Instant now) {
        JsonNode kid = header.get("kid");
        if (kid == null || kid.isNull()) {
            if (kidPolicy == KidPolicy.REQUIRED || app.activeKeys(now).isEmpty()) {
                throw Problem.token(TokenFailureCause.UNKNOWN_KEY).reject();
            }
            return app.activeKeys(now);
        }
        if (!kid.isTextual()) {
            throw Problem.token(TokenFailureCause.MALFORMED, "header", "kid").reject();
        }
        return List.of(app.activeKey(kid.asText(), now)
                .orElseThrow(() -> Problem.token(TokenFailureCause.UNKNOWN_KEY).reject()));
    }

    /**
     * NumericDates outside 0..2^40 (year 36812) are refused before any arithmetic, so that
     * {@code iat = 2^64 + now} cannot wrap to "now" and {@code exp + skew} cannot overflow.
     */
    private static void checkNumericClaims(ObjectNode payload, boolean decimalStringExp) {
        for (String claim : NUMERIC_CLAIMS) {
            JsonNode value = payload.get(claim);
            if (value != null && value.isTextual() && decimalStringExp && claim.equals("exp")) {
                value = decimalString(value.asText());
            }
            if (value != null && !value.isNull() && !isSaneNumericDate(value)) {
                throw Problem.token(TokenFailureCause.MALFORMED, "claim", claim).reject();
            }
        }
    }

    private static final Pattern DECIMAL_DIGITS = Pattern.compile("[0-9]{1,13}");

    /** "1542499200" as the number it spells; anything else (signs, spaces, fractions, 14+ digits) stays text and is refused. */
    private static JsonNode decimalString(String text) {
        return DECIMAL_DIGITS.matcher(text).matches()
                ? com.fasterxml.jackson.databind.node.LongNode.valueOf(Long.parseLong(text))
                : com.fasterxml.jackson.databind.node.TextNode.valueOf(text);
    }

    static boolean isSaneNumericDate(JsonNode value) {
        if (!value.isNumber()) {
            return false;
        }
        if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
            return false;
        }
        java.math.BigDecimal number = value.decimalValue();
        return number.signum() >= 0 && number.compareTo(NUMERIC_DATE_MAX) <= 0;
    }

    private static ObjectNode decodeObject(String part) {
        return Json.parseObject(decode(part))
                .orElseThrow(() -> Problem.token(TokenFailureCause.MALFORMED).reject());
    }

    private static byte[] decode(String part) {
        if (!BASE64URL.matcher(part).matches()) {
            throw Problem.token(TokenFailureCause.MALFORMED).reject();
        }
        byte[] decoded;
        try {
            decoded = Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw Problem.token(TokenFailureCause.MALFORMED).reject();
        }
        // One token, one spelling: a last character with unused low bits set decodes to the same
        // bytes (Wycheproof JWS tcId 375), so only the canonical encoding is accepted.
        if (!CANONICAL.encodeToString(decoded).equals(part)) {
            throw Problem.token(TokenFailureCause.MALFORMED, "problem", "NON_CANONICAL_BASE64URL").reject();
        }
        return decoded;
    }

    private static final Base64.Encoder CANONICAL = Base64.getUrlEncoder().withoutPadding();

    /**
     * HS256/384/512 compare an HMAC in constant time; RS256 and ES256 (a welcome extension of the
     * spec) verify with the key's public key. The header's alg already had to equal the key's,
     * so an RSA public key can never be used as an HMAC secret (algorithm confusion).
     */
    static boolean signatureMatches(SigningKey key, byte[] input, byte[] signature) {
        try {
            return switch (key.alg()) {
                case "RS256" -> PublicKeys.verify("SHA256withRSA", PublicKeys.parse(key.secret(), "RSA"), input, signature);
                // JWS carries ECDSA signatures as R||S (64 bytes for P-256): Java's P1363 format.
                case "ES256" -> signature.length == 64
                        && PublicKeys.verify("SHA256withECDSAinP1363Format", PublicKeys.parse(key.secret(), "EC"), input, signature);
                default -> MessageDigest.isEqual(hmac(key, input), signature);
            };
        } catch (IllegalArgumentException weakOrBrokenKey) {
            // A key stored before the strength rules (or edited by hand) verifies nothing.
            return false;
        }
    }

    static byte[] hmac(SigningKey key, byte[] input) {
        String javaName = switch (key.alg()) {
            case "HS256" -> "HmacSHA256";
            case "HS384" -> "HmacSHA384";
            case "HS512" -> "HmacSHA512";
            default -> throw Problem.token(TokenFailureCause.ALGORITHM).reject();
        };
        try {
            Mac mac = Mac.getInstance(javaName);
            mac.init(new SecretKeySpec(key.secret().getBytes(StandardCharsets.UTF_8), javaName));
            return mac.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC unavailable", e);
        }
    }
}
