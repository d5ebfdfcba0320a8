package io.userhub.shared.validation;

import io.userhub.shared.model.AppSettings;

import java.time.Instant;

/** iat / exp / nbf rules for every token userhub accepts, with the app's clock skew. */
public final class TokenTimeRules {
    private TokenTimeRules() {}

    /** Identity tokens: iat mandatory, at most the app's max age old, not in the future beyond the skew. */
    public static void checkIdentityTokenTimes(Long iat, Long exp, Long nbf, Instant now, AppSettings settings) {
        if (iat == null) {
            throw Problem.of(Reason.IAT_IS_MANDATORY).reject();
        }
        checkIssuedAt(iat, now, settings, true);
        checkExpiryAndNotBefore(exp, nbf, now, settings);
    }

    /** Tokens where iat is optional (external id, app scope): checked only when present. */
    public static void checkOptionalTimes(Long iat, Long exp, Long nbf, Instant now, AppSettings settings) {
        if (iat != null) {
            checkIssuedAt(iat, now, settings, false);
        }
        checkExpiryAndNotBefore(exp, nbf, now, settings);
    }

    private static void checkIssuedAt(long iat, Instant now, AppSettings settings, boolean enforceMaxAge) {
        long nowSeconds = now.getEpochSecond();
        if (iat > nowSeconds + settings.clockSkew().toSeconds()) {
            throw Problem.token(TokenFailureCause.ISSUED_IN_FUTURE).reject();
        }
        if (enforceMaxAge && nowSeconds - iat > settings.identityTokenMaxAge().toSeconds()) {
            throw Problem.token(TokenFailureCause.TOO_OLD).reject();
        }
    }

    private static void checkExpiryAndNotBefore(Long exp, Long nbf, Instant now, AppSettings settings) {
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
