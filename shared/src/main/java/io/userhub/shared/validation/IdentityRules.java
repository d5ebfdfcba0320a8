package io.userhub.shared.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.shared.model.Identifiers;
import io.userhub.shared.model.Identity;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The identity rules of the Helpshift identity token format and system limits, in one place:
 * minting, login, identity addition and import all validate identities here.
 */
public final class IdentityRules {
    private IdentityRules() {}

    /**
     * Validates the {@code identities} member of a token payload or mint request.
     *
     * @param container the JSON object holding {@code identities}
     */
    public static List<Identity> readIdentities(JsonNode container, List<String> blockedValues) {
        JsonNode identities = container == null ? null : container.get("identities");
        if (identities == null || identities.isNull()) {
            throw Problem.of(Reason.IDENTITIES_KEY_ABSENT).reject();
        }
        if (!identities.isArray()) {
            throw Problem.withErrors(Reason.IDENTITIES_DATA_INVALID,
                    Map.of("identities", ErrorCode.INVALID_VALUE_TYPE.name())).reject();
        }
        if (identities.size() > Limits.COLLECTION_SIZE_MAX) {
            throw Problem.withDetails(Reason.IDENTITIES_SIZE_LIMIT_EXCEEDED,
                    Map.of("receivedIdentities", identities.size(), "maxIdentitiesAllowed", Limits.COLLECTION_SIZE_MAX)).reject();
        }
        Map<String, String> errors = new LinkedHashMap<>();
        List<Identity> valid = new ArrayList<>();
        int index = 0;
        for (JsonNode entry : identities) {
            Identity identity = readIdentity(entry, index++, blockedValues, errors);
            if (identity != null) {
                valid.add(identity);
            }
        }
        checkSingleUid(valid, errors);
        if (!errors.isEmpty()) {
            throw Problem.withErrors(Reason.IDENTITIES_DATA_INVALID, errors).reject();
        }
        return dedupe(valid);
    }

    private static Identity readIdentity(JsonNode entry, int index, List<String> blockedValues, Map<String, String> errors) {
        if (!entry.isObject()) {
            errors.put("identities[" + index + "]", ErrorCode.INVALID_VALUE_TYPE.name());
            return null;
        }
        JsonNode identifierNode = entry.get("identifier");
        if (identifierNode == null || !identifierNode.isTextual() || identifierNode.asText().isBlank()) {
            errors.put(identifierNode != null && identifierNode.isTextual() ? identifierNode.asText() : "identities[" + index + "]",
                    identifierNode == null || identifierNode.isTextual() ? ErrorCode.EMPTY_DATA.name() : ErrorCode.INVALID_VALUE_TYPE.name());
            return null;
        }
        String identifier = identifierNode.asText();
        if (identifier.length() > Limits.KEY_LENGTH_MAX) {
            errors.put(identifier, ErrorCode.KEY_LENGTH_LIMIT_EXCEEDED.name());
            return null;
        }
        if (!Identifiers.isSupported(identifier)) {
            errors.put(identifier, ErrorCode.UNSUPPORTED_IDENTIFIER.name());
            return null;
        }
        JsonNode valueNode = entry.get("value");
        if (valueNode != null && !valueNode.isNull() && !valueNode.isTextual()) {
            errors.put(identifier, ErrorCode.INVALID_VALUE_TYPE.name());
            return null;
        }
        String value = valueNode == null || valueNode.isNull() ? "" : valueNode.asText();
        ErrorCode valueError = valueError(identifier, value, blockedValues);
        if (valueError != null) {
            errors.put(identifier, valueError.name());
            return null;
        }
        Map<String, String> metadata = readMetadata(entry.get("metadata"), identifier, errors);
        return metadata == null ? null : new Identity(identifier, value, metadata);
    }

    /**
     * Identities read before the app was known ({@link #readIdentities} with no list) meet the
     * app's blocked values: the same BLOCKED_VALUE refusal readIdentities gives with the list.
     */
    public static void requireNotBlocked(List<Identity> identities, List<String> blockedValues) {
        Map<String, String> errors = new LinkedHashMap<>();
        identities.stream().filter(i -> isBlocked(i.value(), blockedValues))
                .forEach(i -> errors.put(i.identifier(), ErrorCode.BLOCKED_VALUE.name()));
        if (!errors.isEmpty()) {
            throw Problem.withErrors(Reason.IDENTITIES_DATA_INVALID, errors).reject();
        }
    }

    /** The value rules shared by identity values, external ids and user ids. */
    public static ErrorCode valueError(String identifier, String value, List<String> blockedValues) {
        if (value == null || value.isBlank()) {
            return ErrorCode.EMPTY_DATA;
        }
        int max = Identity.isUidIdentifier(identifier) ? Limits.UID_VALUE_LENGTH_MAX : Limits.IDENTITY_VALUE_LENGTH_MAX;
        if (value.length() > max) {
            return ErrorCode.VALUE_LENGTH_LIMIT_EXCEEDED;
        }
        if (!looksLikeWhatItIs(identifier, value)) {
            return ErrorCode.INVALID_VALUE;
        }
        if (isBlocked(value, blockedValues)) {
            return ErrorCode.BLOCKED_VALUE;
        }
        return null;
    }

    /**
     * Values that only look equal must never reach another person's profile (SPEC section 7):
     * control and format characters (Cc, Cf: NUL, U+000B, U+200B, U+FEFF, bidi marks) and lone
     * surrogates are refused everywhere; an email may not hold whitespace (other than the ASCII
     * spaces around it, which normalisation trims) nor a character that case-folds or
     * compatibility-maps onto ASCII (U+212A KELVIN SIGN folds to "k", U+FF41 maps to "a"), since
     * emails match ASCII case-insensitively and such a value would be a look-alike.
     */
    static boolean looksLikeWhatItIs(String identifier, String value) {
        boolean email = Identity.EMAIL.equals(identifier);
        String checked = email ? Identity.trimAsciiSpaces(value) : value;
        for (int i = 0; i < checked.length(); ) {
            int codePoint = checked.codePointAt(i);
            i += Character.charCount(codePoint);
            int type = Character.getType(codePoint);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                    || type == Character.UNASSIGNED || type == Character.PRIVATE_USE) {
                return false;
            }
            if (email && (Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint)
                    || (codePoint > 0x7F && foldsOntoAscii(codePoint)))) {
                return false;
            }
        }
        return true;
    }

    private static boolean foldsOntoAscii(int codePoint) {
        String single = new String(Character.toChars(codePoint));
        return hasAscii(single.toLowerCase(Locale.ROOT)) || hasAscii(single.toUpperCase(Locale.ROOT))
                || hasAscii(java.text.Normalizer.normalize(single, java.text.Normalizer.Form.NFKC));
    }

    private static boolean hasAscii(String s) {
        return s.chars().anyMatch(c -> c <= 0x7F);
    }

    /**
     * Junk values that broken integrations send for every user would merge every user into one
     * profile; they are refused (SPEC section 3). All-zero strings are blocked whatever the list says.
     */
    public static boolean isBlocked(String value, List<String> blockedValues) {
        String folded = value.trim().toLowerCase(Locale.ROOT);
        if (folded.isEmpty() || folded.chars().allMatch(c -> c == '0')) {
            return true;
        }
        for (String blocked : blockedValues) {
            if (blocked.trim().toLowerCase(Locale.ROOT).equals(folded)) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, String> readMetadata(JsonNode metadataNode, String identifier, Map<String, String> errors) {
        if (metadataNode == null || metadataNode.isNull()) {
            return Map.of();
        }
        if (!metadataNode.isObject()) {
            errors.put(identifier, ErrorCode.INVALID_VALUE_TYPE.name());
            return null;
        }
        if (metadataNode.size() > Limits.COLLECTION_SIZE_MAX) {
            errors.put(identifier, ErrorCode.METADATA_COUNT_LIMIT_EXCEEDED.name());
            return null;
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        boolean ok = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = metadataNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (key.isBlank() || value == null || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
                errors.put(key.isBlank() ? identifier : key, ErrorCode.METADATA_EMPTY_KEY_OR_VALUE.name());
                ok = false;
            } else if (key.length() > Limits.KEY_LENGTH_MAX) {
                errors.put(key, ErrorCode.METADATA_KEY_LENGTH_LIMIT_EXCEEDED.name());
                ok = false;
            } else if (!value.isTextual()) {
                errors.put(key, ErrorCode.INVALID_VALUE_TYPE.name());
                ok = false;
            } else if (value.asText().length() > Limits.METADATA_VALUE_LENGTH_MAX) {
                errors.put(key, ErrorCode.METADATA_VALUE_LENGTH_LIMIT_EXCEEDED.name());
                ok = false;
            } else {
                metadata.put(key, value.asText());
            }
        }
        return ok ? metadata : null;
    }

    private static void checkSingleUid(List<Identity> identities, Map<String, String> errors) {
        long distinctUids = identities.stream().filter(Identity::isUid).map(Identity::value).distinct().count();
        if (distinctUids > 1) {
            errors.put(Identity.UID, ErrorCode.DUPLICATE_IDENTIFIER.name());
        }
    }

    private static List<Identity> dedupe(List<Identity> identities) {
        Map<String, Identity> byKey = new LinkedHashMap<>();
        for (Identity identity : identities) {
            byKey.put(identity.profileKey(), identity);
        }
        return List.copyOf(byKey.values());
    }

    /** Without full privacy one of uid or email is mandatory (Helpshift UidOrEmailIsMandatory). */
    public static void requireUidOrEmail(List<Identity> identities) {
        if (identities.stream().noneMatch(i -> i.isUid() || i.isEmail())) {
            throw Problem.of(Reason.UID_OR_EMAIL_IS_MANDATORY).reject();
        }
    }

    /**
     * The app's per-identifier limits (resolution rules): more values of one identifier than its
     * limit is IDENTITIES_SIZE_LIMIT_EXCEEDED naming the identifier. Login, minting, identity
     * addition (with the profile's own identities) and the rules' dry run all check it here.
     */
    public static void requireWithinLimits(List<Identity> identities, io.userhub.shared.model.ResolutionRules rules) {
        rules.excess(identities).ifPresent(excess -> {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("identifier", excess.identifier());
            details.put("receivedIdentities", excess.count());
            details.put("maxIdentitiesAllowed", excess.limit());
            throw Problem.withDetails(Reason.IDENTITIES_SIZE_LIMIT_EXCEEDED, details).reject();
        });
    }

    /** External ids and user ids are uids: same emptiness, length and junk-value rules. */
    public static String requireUidValue(String field, JsonNode node, List<String> blockedValues, Reason reason) {
        return requireUidValue(field, requireText(field, node, reason), blockedValues, reason);
    }

    /** The JSON string a uid-like field must be (a number is refused, not converted: Sunshine Conversations). */
    public static String requireText(String field, JsonNode node, Reason reason) {
        if (node == null || node.isNull()) {
            throw Problem.withErrors(reason, Map.of(field, ErrorCode.MISSING.name())).reject();
        }
        if (!node.isTextual()) {
            throw Problem.withErrors(reason, Map.of(field, ErrorCode.INVALID_VALUE_TYPE.name())).reject();
        }
        return node.asText();
    }

    /** A uid-like value already read as a string: length, control characters, the app's blocked values. */
    public static String requireUidValue(String field, String value, List<String> blockedValues, Reason reason) {
        ErrorCode error = valueError(Identity.UID, value, blockedValues);
        if (error != null) {
            throw Problem.withErrors(reason, Map.of(field, error.name())).reject();
        }
        return value;
    }
}
