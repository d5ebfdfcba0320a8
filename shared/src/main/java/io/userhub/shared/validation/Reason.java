package io.userhub.shared.validation;

/**
 * Every failure reason the API returns, with its HTTP status. The mapping of each reason to
 * the seed it comes from is kept in docs/reasons.md.
 */
public enum Reason {
    LOGIN_IN_PROGRESS(409),
    LOGIN_CONFIG_INVALID(400),
    LOGIN_CONFIG_SIZE_LIMIT_EXCEEDED(400),
    IDENTITY_TOKEN_INVALID(401),
    IAT_IS_MANDATORY(400),
    IDENTITIES_KEY_ABSENT(400),
    IDENTITIES_DATA_INVALID(400),
    IDENTITIES_SIZE_LIMIT_EXCEEDED(400),
    IDENTITY_FEATURE_NOT_ENABLED(403),
    LOGIN_MODE_DISABLED(403),
    UID_OR_EMAIL_IS_MANDATORY(400),
    CONFIG_JWT_USER_ID_MISMATCH(400),
    CONFIG_JWT_EMAIL_MISMATCH(400),
    EXTERNAL_ID_INVALID(401),
    SECURITY_HASH_MISMATCH(403),
    SESSION_EXPIRED(401),
    SESSION_INVALID(401),
    RATE_LIMITED(429),
    MAX_KEY_VALUES_LIMIT_EXCEEDED(400),
    APP_NOT_FOUND(404),
    USER_NOT_FOUND(404),
    IMPORT_TOO_LARGE(413),
    NO_ACTIVE_KEY(409),
    UNAUTHORIZED(401),
    MALFORMED_JSON(400),
    FIELD_INVALID(400),
    UNSUPPORTED_MEDIA_TYPE(415),
    BODY_TOO_LARGE(413),
    ROUTE_NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    TAGS_LIMIT_EXCEEDED(400),
    /** A browser-facing route called from a page whose origin the app does not allow; details.origin. */
    ORIGIN_NOT_ALLOWED(403),
    /** An attribute key the app lets only a signed token set; details.key names it. */
    SIGNED_ONLY_ATTRIBUTE(403),
    /** No merge of that id for that user (unknown, or past the audit retention). */
    MERGE_NOT_FOUND(404),
    /** A merge that cannot be undone safely any more; details.problem says why. */
    UNMERGE_REFUSED(409),
    /** No webhook endpoint of that id in the app. */
    WEBHOOK_ENDPOINT_NOT_FOUND(404),
    /** The app has as many webhook endpoints as it may (details.limit). */
    WEBHOOK_ENDPOINT_LIMIT_EXCEEDED(409),
    /** A resend or replay to a disabled endpoint: enable it first (its events were kept meanwhile). */
    WEBHOOK_ENDPOINT_DISABLED(409),
    /** An endpoint URL userhub will not send to (details.refusal: NOT_HTTPS, PRIVATE_ADDRESS, ...). */
    WEBHOOK_URL_REFUSED(400),
    /** No delivery of that id to that endpoint (unknown, or past the log's retention). */
    DELIVERY_NOT_FOUND(404),
    SERVICE_BUSY(503),
    SERVICE_UNAVAILABLE(503),
    INTERNAL_ERROR(500);

    private final int httpStatus;

    Reason(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
