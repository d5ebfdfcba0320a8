package io.userhub.shared.config;

import java.util.Map;
import java.util.Optional;

/** The environment variables a function reads, in one place, so tests and the local server can supply their own. */
public record Environment(Map<String, String> variables) {

    public static final String USERS_TABLE = "USERS_TABLE";
    public static final String SESSIONS_TABLE = "SESSIONS_TABLE";
    public static final String APPS_TABLE = "APPS_TABLE";
    public static final String WEBHOOKS_TABLE = "WEBHOOKS_TABLE";
    /** The webhook engine's FIFO queue and its dead letters (the delivery functions'). */
    public static final String WEBHOOK_QUEUE_URL = "WEBHOOK_QUEUE_URL";
    public static final String WEBHOOK_DEAD_LETTER_QUEUE_URL = "WEBHOOK_DEAD_LETTER_QUEUE_URL";
    /** Shortens every webhook retry wait by this factor (the local server's flag); 1 unless set. */
    public static final String WEBHOOK_BACKOFF_SCALE = "WEBHOOK_BACKOFF_SCALE";
    public static final String APP_CACHE_SECONDS = "APP_CACHE_SECONDS";
    /** The stack's web origins (comma-separated, * for any): CORS for apps that list none of their own. */
    public static final String CORS_ALLOW_ORIGINS = "CORS_ALLOW_ORIGINS";
    /** The KMS key that seals the apps' signing secrets (envelope encryption). */
    public static final String SECRETS_KMS_KEY_ID = "SECRETS_KMS_KEY_ID";
    /** Locally: a key file standing in for the KMS key (the local server keeps it in its data directory). */
    public static final String SECRETS_LOCAL_KEY_FILE = "SECRETS_LOCAL_KEY_FILE";
    public static final String LOCAL_USE = "USERHUB_LOCAL";

    public Environment {
        variables = Map.copyOf(variables);
    }

    public static Environment system() {
        return new Environment(System.getenv());
    }

    /** The local server ({@code USERHUB_LOCAL=true}, which it sets itself): loopback endpoints are its own. */
    public boolean localUse() {
        return get(LOCAL_USE).map("true"::equals).orElse(false);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(variables.get(name)).filter(v -> !v.isBlank());
    }

    public String required(String name) {
        return get(name).orElseThrow(() -> new IllegalStateException("environment variable " + name + " is not set"));
    }

    /** The physical table names (the template passes them with !Ref). */
    public io.userhub.shared.store.Tables tables() {
        return new io.userhub.shared.store.Tables(required(APPS_TABLE), required(USERS_TABLE), required(SESSIONS_TABLE),
                required(WEBHOOKS_TABLE));
    }

    /** How long an erase keeps the digests of the identities it released ({@code ERASED_IDENTITY_RETENTION_DAYS}, 30 days unless set). */
    public java.time.Duration erasedIdentityRetention() {
        return get("ERASED_IDENTITY_RETENTION_DAYS").map(days -> java.time.Duration.ofDays(Long.parseLong(days)))
                .orElse(Wiring.DEFAULT_ERASED_IDENTITY_RETENTION);
    }

    /** How long audit records are kept ({@code AUDIT_RETENTION_DAYS}, 90 days unless set). */
    public java.time.Duration auditRetention() {
        return get(io.userhub.shared.store.AuditTrail.AUDIT_RETENTION_DAYS).map(days -> java.time.Duration.ofDays(Long.parseLong(days)))
                .orElse(io.userhub.shared.store.AuditTrail.DEFAULT_RETENTION);
    }

    /** The factor every webhook retry wait is multiplied by: 1 unless {@code WEBHOOK_BACKOFF_SCALE} says (between 0.00001 and 1). */
    public double webhookBackoffScale() {
        double scale = get(WEBHOOK_BACKOFF_SCALE).map(Double::parseDouble).orElse(1.0);
        if (!(scale >= 0.00001 && scale <= 1)) {
            throw new IllegalStateException(WEBHOOK_BACKOFF_SCALE + " must be between 0.00001 and 1: " + scale);
        }
        return scale;
    }

    /** AWS_ENDPOINT_URL_DYNAMODB wins over AWS_ENDPOINT_URL, as in the AWS SDKs' own convention. */
    public Optional<String> dynamoEndpoint() {
        return get("AWS_ENDPOINT_URL_DYNAMODB").or(() -> get("AWS_ENDPOINT_URL"));
    }
}
