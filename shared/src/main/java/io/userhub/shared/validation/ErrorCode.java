package io.userhub.shared.validation;

/** Per-key error codes reported in the {@code errors} map of a failure (SPEC section 6). */
public enum ErrorCode {
    KEY_LENGTH_LIMIT_EXCEEDED,
    VALUE_LENGTH_LIMIT_EXCEEDED,
    INVALID_VALUE_TYPE,
    EMPTY_DATA,
    METADATA_COUNT_LIMIT_EXCEEDED,
    METADATA_KEY_LENGTH_LIMIT_EXCEEDED,
    METADATA_VALUE_LENGTH_LIMIT_EXCEEDED,
    METADATA_EMPTY_KEY_OR_VALUE,
    UNSUPPORTED_IDENTIFIER,
    BLOCKED_VALUE,
    /** A second, different uid in one token: a token names one person. */
    DUPLICATE_IDENTIFIER,
    /** An attribute key that is not among the supported global or app keys (or the app's custom field schema). */
    UNSUPPORTED_KEY,
    /** A list or map of more than 30 entries (tags, custom user fields). */
    COLLECTION_SIZE_LIMIT_EXCEEDED,
    /** A request field that is required but absent. */
    MISSING,
    /** A number with a fraction or an exponent where only an integer is taken (a HelpCrunch user id). */
    NOT_AN_INTEGER,
    /** A negative number where only 0 and up is taken (a HelpCrunch user id). */
    NEGATIVE_NUMBER,
    /** An integer beyond what the field takes (a numeric user id above 2^53). */
    NUMBER_TOO_LARGE,
    /** A request field whose value is outside what the route accepts. */
    INVALID_VALUE
}
