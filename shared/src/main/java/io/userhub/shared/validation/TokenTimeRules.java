package io.userhub.shared.validation;

import io.userhub.shared.model.AppSettings;

import java.time.Instant;

/**
 * iat / exp / nbf rules for every token userhub accepts, with the app's clock skew. The values
 * were already range-checked (0..2^40) by the verifier, so the arithmetic here cannot overflow.
 */
public final class TokenTimeRules {
    private TokenTimeRules() {}

    /** Identity and external-id tokens: iat mandatory, at most the app's max age old, not in the future beyond the skew. */
    public static void checkIdentityTokenTimes(Long iat, Long exp, Long nbf, Instant now, AppSettings settings) {
        if (iat == null) {
            throw Problem.of(Reason.IAT_IS_MANDATORY).reject();
        }
        checkIssuedAt(iat, now, settings);
        checkExpiryAndNotBefore(exp, nbf, now, settings);
    }

    /**
     * App-scope tokens (server-to-server credentials) are bearer credentials: they must be short
     * lived, so a leaked one is useless within minutes. iat and exp are mandatory, iat at most
     * {@link #APP_SCOPE_MAX_AGE} old and exp at most that far after iat.
     */
    public static void checkAppScopeTimes(Long iat, Long exp, Long nbf, Instant now, AppSettings settings) {
        if (iat == null) {
            throw Problem.of(Reason.IAT_IS_MANDATORY).reject();
        }
        if (exp == null) {
            throw Problem.token(TokenFailureCause.MALFORMED, "problem", "EXP_IS_MANDATORY").reject();
        }
        if (exp - iat > APP_SCOPE_MAX_AGE.toSeconds()) {
            throw Problem.token(TokenFailureCause.TOO_OLD, "problem", "LIFETIME_TOO_LONG").reject();
        }
        checkIssuedAt(iat, now, settings, APP_SCOPE_MAX_AGE);
        checkExpiryAndNotBefore(exp, nbf, now, settings);
    }

    /** The longest an app-scope token may live (iat to exp, and age at use). */
    public static final java.time.Duration APP_SCOPE_MAX_AGE = java.time.Duration.ofMinutes(5);

    private static void checkIssuedAt(long iat, Instant now, AppSettings settings) {
        checkIssuedAt(iat, now, settings, settings.identityTokenMaxAge());
    }

    private static void checkIssuedAt(long iat, Instant now, AppSettings settings, java.time.Duration maxAge) {
        long nowSeconds = now.getEpochSecond();
        if (iat > nowSeconds + settings.clockSkew().toSeconds()) {
            throw Problem.token(TokenFailureCause.ISSUED_IN_FUTURE).reject();
        }
        if (nowSeconds - iat > maxAge.toSeconds()) {
            throw Problem.token(TokenFailureCause.TOO_OLD).reject();
        }
    }

    /** exp and nbf alone, with the app's skew: what Sunshine compatibility keeps of the time rules. */
    public static void checkExpiryAndNotBefore(Long exp, Long nbf, Instant now, AppSettings settings) {
        long nowSeconds = now.getEpochSecond();
        long skew = settings.clockSkew().toSeconds();
        if (exp != null && nowSeconds >= exp + skew) {
            throw Problem.token(TokenFailureCause.EXPIRED).reject();
        }
        if (nbf != null && nbf > nowSeconds + skew) {
            throw Problem.token(TokenFailureCause.ISSUED_IN_FUTURE, "claim", "nbf").reject();
        }
    }
}
