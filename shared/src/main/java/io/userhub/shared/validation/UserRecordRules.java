package io.userhub.shared.validation;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

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

    /**
     * A security hash (HelpCrunch: "can be any string"), sent by a login or set by the import: not
     * empty and at most a key's length, taken exactly as sent (a CSV cell is not trimmed for it),
     * so that every hash the import pins is one a login can present. Null when acceptable.
     */
    public static ErrorCode securityHashError(String value) {
        if (value.isEmpty()) {
            return ErrorCode.EMPTY_DATA;
        }
        return value.length() > Limits.KEY_LENGTH_MAX ? ErrorCode.VALUE_LENGTH_LIMIT_EXCEEDED : null;
    }

    /** The largest integer user id: 2^53, the largest a JavaScript number holds exactly (a browser's widget sends it). */
    public static final BigInteger LARGEST_NUMERIC_USER_ID = BigInteger.ONE.shiftLeft(53);

    /**
     * A HelpCrunch user id as JSON sends it: a string, or an integer from 0 to 2^53 ("When you send
     * us the user_id, e.g. 12345"), which is the same user as its decimal string. Other numbers
     * are refused with what is wrong with them, never rounded: 12345.0, 1.2345e4 and 12345.5 could
     * each be a different user's id in the customer's database, so none of them is guessed at.
     *
     * @return the user id as text, or null when the node is absent, JSON null or an empty string
     *         (HelpCrunch: without a user_id the visitor is anonymous)
     */
    public static String readUserId(String field, JsonNode node, Reason reason) {
        if (node == null || node.isNull() || (node.isTextual() && node.asText().isEmpty())) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        ErrorCode error;
        if (!node.isNumber()) {
            error = ErrorCode.INVALID_VALUE_TYPE;
        } else if (!node.isIntegralNumber()) {
            error = ErrorCode.NOT_AN_INTEGER;
        } else if (node.bigIntegerValue().signum() < 0) {
            error = ErrorCode.NEGATIVE_NUMBER;
        } else if (node.bigIntegerValue().compareTo(LARGEST_NUMERIC_USER_ID) > 0) {
            error = ErrorCode.NUMBER_TOO_LARGE;
        } else {
            return node.bigIntegerValue().toString();
        }
        throw Problem.withErrors(reason, Map.of(field, error.name())).reject();
    }

    /** The user id of a record: a uid, with the uid's emptiness, length and junk-value rules. */
    public static ErrorCode userIdError(String userId, List<String> blockedValues) {
        return IdentityRules.valueError("uid", userId, blockedValues);
    }
}
