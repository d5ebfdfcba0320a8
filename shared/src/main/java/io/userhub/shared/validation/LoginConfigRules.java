package io.userhub.shared.validation;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The login {@code config} object of the Helpshift SDK: size, key and value rules, full privacy flag. */
public final class LoginConfigRules {
    private LoginConfigRules() {}

    public static final String FULL_PRIVACY = "full_privacy_enabled";

    /** Validates the config and returns whether full privacy is on. */
    public static boolean readFullPrivacy(JsonNode config) {
        if (config == null || config.isNull()) {
            return false;
        }
        if (!config.isObject()) {
            throw Problem.withErrors(Reason.LOGIN_CONFIG_INVALID, Map.of("config", ErrorCode.INVALID_VALUE_TYPE.name())).reject();
        }
        if (config.size() > Limits.COLLECTION_SIZE_MAX) {
            throw Problem.withDetails(Reason.LOGIN_CONFIG_SIZE_LIMIT_EXCEEDED,
                    Map.of("receivedEntries", config.size(), "maxEntriesAllowed", Limits.COLLECTION_SIZE_MAX)).reject();
        }
        Map<String, String> errors = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode value = entry.getValue();
            if (entry.getKey().length() > Limits.KEY_LENGTH_MAX) {
                errors.put(entry.getKey(), ErrorCode.KEY_LENGTH_LIMIT_EXCEEDED.name());
            } else if (!(value.isTextual() || value.isBoolean() || value.isNumber())) {
                errors.put(entry.getKey(), ErrorCode.INVALID_VALUE_TYPE.name());
            } else if (value.isTextual() && value.asText().length() > Limits.CONFIG_VALUE_LENGTH_MAX) {
                errors.put(entry.getKey(), ErrorCode.VALUE_LENGTH_LIMIT_EXCEEDED.name());
            }
        }
        if (!errors.isEmpty()) {
            throw Problem.withErrors(Reason.LOGIN_CONFIG_INVALID, errors).reject();
        }
        return parsesAsTrue(config.get(FULL_PRIVACY));
    }

    /** Full privacy is assumed false when absent or not parseable as a boolean (Helpshift SDK). */
    static boolean parsesAsTrue(JsonNode flag) {
        if (flag == null) {
            return false;
        }
        if (flag.isBoolean()) {
            return flag.booleanValue();
        }
        return flag.isTextual() && flag.asText().trim().toLowerCase(Locale.ROOT).equals("true");
    }
}
