package io.userhub.shared.validation;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The login {@code config} object of the Helpshift SDK and Web Chat: size, key and value rules,
 * the full privacy flag and {@code clear_anonymous_user_on_login}.
 */
public final class LoginConfigRules {
    private LoginConfigRules() {}

    public static final String FULL_PRIVACY = "full_privacy_enabled";
    public static final String CLEAR_ANONYMOUS_USER = "clear_anonymous_user_on_login";

    /**
     * What a login's config asks for.
     *
     * @param fullPrivacy             no identity other than uid is stored
     * @param clearAnonymousUserOnLogin an identified login forgets the device's anonymous user, so the next
     *                                anonymous login gets a new one (the default, as the Helpshift SDK does);
     *                                false keeps it for the device's next anonymous login (Web Chat's
     *                                {@code clearAnonymousUserOnLogin: false})
     */
    public record LoginConfig(boolean fullPrivacy, boolean clearAnonymousUserOnLogin) {
        public static final LoginConfig DEFAULT = new LoginConfig(false, true);
    }

    /** Validates the config and returns whether full privacy is on. */
    public static boolean readFullPrivacy(JsonNode config) {
        return read(config).fullPrivacy();
    }

    /**
     * Validates the config. Full privacy is false unless it parses as true; the anonymous user
     * is cleared unless {@code clear_anonymous_user_on_login} is a boolean false or the string
     * {@code "false"} (anything else is a {@code LOGIN_CONFIG_INVALID}, so a typo cannot
     * silently keep or drop an anonymous user's conversation).
     */
    public static LoginConfig read(JsonNode config) {
        if (config == null || config.isNull()) {
            return LoginConfig.DEFAULT;
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
        return new LoginConfig(parsesAsTrue(config.get(FULL_PRIVACY)), clearsAnonymousUser(config.get(CLEAR_ANONYMOUS_USER)));
    }

    private static boolean clearsAnonymousUser(JsonNode flag) {
        if (flag == null || flag.isNull()) {
            return true;
        }
        String text = flag.isBoolean() ? String.valueOf(flag.booleanValue())
                : flag.isTextual() ? flag.asText().trim().toLowerCase(Locale.ROOT) : "";
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw Problem.withErrors(Reason.LOGIN_CONFIG_INVALID,
                    Map.of(CLEAR_ANONYMOUS_USER, ErrorCode.INVALID_VALUE_TYPE.name())).reject();
        };
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
