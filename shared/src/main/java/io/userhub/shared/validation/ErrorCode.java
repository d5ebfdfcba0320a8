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
    /** A request field whose value is outside what the route accepts. */
    INVALID_VALUE
}
