package io.userhub.shared.validation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An expected failure: a reason, optional per-key error codes and optional details. The API
 * family ({@code LOGIN_FAILED}, ...) is added by the route that renders it.
 */
public record Problem(Reason reason, Map<String, String> errors, Map<String, Object> details) {

    public Problem {
        errors = errors == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(errors));
        Map<String, Object> allDetails = new LinkedHashMap<>();
        if (reason == Reason.IDENTITIES_DATA_INVALID) {
            // Web Chat's detail lists beside the per-key map, whoever raises the refusal.
            allDetails.putAll(InvalidPayloadDetails.of(errors));
        }
        if (details != null) {
            allDetails.putAll(details);
        }
        details = java.util.Collections.unmodifiableMap(allDetails);
    }

    public static Problem of(Reason reason) {
        return new Problem(reason, Map.of(), Map.of());
    }

    public static Problem withErrors(Reason reason, Map<String, String> errors) {
        return new Problem(reason, errors, Map.of());
    }

    public static Problem withDetails(Reason reason, Map<String, Object> details) {
        return new Problem(reason, Map.of(), details);
    }

    public static Problem token(TokenFailureCause cause) {
        return withDetails(Reason.IDENTITY_TOKEN_INVALID, Map.of("cause", cause.name()));
    }

    public static Problem token(TokenFailureCause cause, String detailKey, String detailValue) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("cause", cause.name());
        details.put(detailKey, detailValue);
        return withDetails(Reason.IDENTITY_TOKEN_INVALID, details);
    }

    public static Problem field(String field, ErrorCode code) {
        return withErrors(Reason.FIELD_INVALID, Map.of(field, code.name()));
    }

    public Rejection reject() {
        return new Rejection(this);
    }
}
