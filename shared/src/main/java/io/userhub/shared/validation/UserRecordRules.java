package io.userhub.shared.validation;

import java.util.List;

/**
 * The profile fields of a HelpCrunch-style user record (user id login and CSV import): one home
 * for the rules both apply.
 */
public final class UserRecordRules {
    private UserRecordRules() {}

    public static final List<String> FIELDS = List.of("email", "name", "phone", "company");

    /** The error of one field value, or null when it is acceptable. */
    public static ErrorCode fieldError(String field, String value) {
        if (value.length() > Limits.IDENTITY_VALUE_LENGTH_MAX) {
            return ErrorCode.VALUE_LENGTH_LIMIT_EXCEEDED;
        }
        return null;
    }

    /** The user id of a record: a uid, with the uid's emptiness, length and junk-value rules. */
    public static ErrorCode userIdError(String userId, List<String> blockedValues) {
        return IdentityRules.valueError("uid", userId, blockedValues);
    }
}
