package io.userhub.shared.validation;

import io.userhub.shared.model.Identifiers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Helpshift Web Chat's {@code IDENTITIES_INVALID_PAYLOAD} details ({@code missingFields},
 * {@code invalidFields}, {@code invalidIdentities}, {@code invalidIdentityTokens}), derived from
 * the per-key {@code errors} map userhub already reports, so a widget written against Web Chat
 * finds the lists it reads and nothing is decided twice. Each list is present, possibly empty.
 */
public final class InvalidPayloadDetails {
    private InvalidPayloadDetails() {}

    public static final String MISSING_FIELDS = "missingFields";
    public static final String INVALID_FIELDS = "invalidFields";
    public static final String INVALID_IDENTITIES = "invalidIdentities";
    public static final String INVALID_IDENTITY_TOKENS = "invalidIdentityTokens";

    /** Codes whose key is an identifier the token named, supported or not. */
    private static final java.util.Set<String> IDENTIFIER_CODES =
            java.util.Set.of(ErrorCode.UNSUPPORTED_IDENTIFIER.name(), ErrorCode.KEY_LENGTH_LIMIT_EXCEEDED.name());

    /**
     * A key whose code is MISSING is a missing field; an identifier (supported or not) or an entry
     * of the identities array is an invalid identity; anything else (a metadata key, a user-record
     * field, the identities member itself) an invalid field.
     */
    public static Map<String, Object> of(Map<String, String> errors) {
        List<String> missing = new ArrayList<>();
        List<String> invalidFields = new ArrayList<>();
        List<String> invalidIdentities = new ArrayList<>();
        errors.forEach((key, code) -> {
            if (ErrorCode.MISSING.name().equals(code)) {
                missing.add(key);
            } else if (Identifiers.isSupported(key) || key.startsWith("identities[") || IDENTIFIER_CODES.contains(code)) {
                invalidIdentities.add(key);
            } else {
                invalidFields.add(key);
            }
        });
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(MISSING_FIELDS, List.copyOf(missing));
        details.put(INVALID_FIELDS, List.copyOf(invalidFields));
        details.put(INVALID_IDENTITIES, List.copyOf(invalidIdentities));
        details.put(INVALID_IDENTITY_TOKENS, List.of());
        return details;
    }

    /** The same refusal, naming the request field whose token carried the invalid payload. */
    public static Problem fromToken(Problem problem, String tokenField) {
        if (problem.reason() != Reason.IDENTITIES_DATA_INVALID) {
            return problem;
        }
        Map<String, Object> details = new LinkedHashMap<>(problem.details());
        details.put(INVALID_IDENTITY_TOKENS, List.of(tokenField));
        return new Problem(problem.reason(), problem.errors(), details);
    }
}
