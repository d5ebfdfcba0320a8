package io.userhub.shared.validation;

/** {@code details.cause} of an {@code IDENTITY_TOKEN_INVALID} failure. */
public enum TokenFailureCause {
    MALFORMED, SIGNATURE, UNKNOWN_KEY, ALGORITHM, EXPIRED, TOO_OLD, ISSUED_IN_FUTURE, REPLAYED,
    /** Identities sent without a token while the app's verification is {@code required}. */
    UNSIGNED
}
