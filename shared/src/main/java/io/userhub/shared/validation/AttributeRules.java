package io.userhub.shared.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.shared.model.AttributeChanges;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The attribute rules of the Helpshift seeds (SPEC section 4): typed global and app keys, tag
 * operations, custom user fields (typed by the app's schema when it has one), 100 keys per
 * update. An unsupported key is rejected and reported; a supported key with a value of the
 * wrong type is ignored and reported; the rest is folded into {@link AttributeChanges}.
 */
public final class AttributeRules {
    private AttributeRules() {}

    public static final String GLOBAL = "global";
    public static final String APP = "app";
    /** Updates per batch; with 100 keys each this bounds what one write can carry. */
    public static final int UPDATES_PER_BATCH_MAX = 20;
    /** Distinct keys after folding, so one update expression stays well inside DynamoDB's 4 KB. */
    public static final int DISTINCT_KEYS_PER_BATCH_MAX = 150;
    /** Plain string attributes: the web widget's 1000-character limit. */
    public static final int ATTRIBUTE_VALUE_LENGTH_MAX = 1000;

    public static final Set<String> GLOBAL_STRING_KEYS = Set.of(
            "first_name", "last_name", "display_name", "full_name", "last_country", "last_city", "lifetime_value",
            "user_persona", "user_vip_segment", "user_support_status", "last_active_date", "accepted_t_and_c",
            "preferred_language");
    public static final Set<String> TAG_KEYS = Set.of("new_tags", "tags_to_remove", "reset_tags");
    public static final Set<String> APP_STRING_KEYS = Set.of(
            "device_model", "os_version", "app_version", "sdk_version", "country", "city", "user_vip_segment",
            "language", "app_rating", "user_paying_segment", "user_support_status", "user_persona",
            "accepted_t_and_c", "user_level", "app_status", "lifetime_value");
    public static final String CUSTOM_USER_FIELDS = "custom_user_fields";

    /** One reported key: which update type, which key, and the code. */
    public record Issue(String type, String key, String code) {}

    public record Batch(AttributeChanges changes, Set<String> appliedGlobal, Set<String> appliedApp,
                        List<Issue> ignored, List<Issue> rejected) {
        public List<String> invalidCoreAttributes() {
            return rejected.stream().filter(i -> i.type().equals(GLOBAL)).map(Issue::key).toList();
        }

        public List<String> invalidAppAttributes() {
            return rejected.stream().filter(i -> i.type().equals(APP)).map(Issue::key).toList();
        }
    }

    public static Batch read(JsonNode body, Map<String, String> customFieldSchema) {
        JsonNode updates = body.get("updates");
        if (updates == null || !updates.isArray()) {
            throw Problem.field("updates", updates == null ? ErrorCode.MISSING : ErrorCode.INVALID_VALUE_TYPE).reject();
        }
        if (updates.size() > UPDATES_PER_BATCH_MAX) {
            throw Problem.withDetails(Reason.FIELD_INVALID, Map.of("field", "updates", "maxUpdatesAllowed", UPDATES_PER_BATCH_MAX,
                    "receivedUpdates", updates.size())).reject();
        }
        for (JsonNode update : updates) {
            checkShape(update);
        }
        AttributeChanges changes = new AttributeChanges();
        Set<String> appliedGlobal = new LinkedHashSet<>();
        Set<String> appliedApp = new LinkedHashSet<>();
        List<Issue> ignored = new ArrayList<>();
        List<Issue> rejected = new ArrayList<>();
        for (JsonNode update : updates) {
            String type = update.get("type").asText();
            for (Iterator<Map.Entry<String, JsonNode>> it = update.get("attributes").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> attribute = it.next();
                Outcome outcome = type.equals(GLOBAL)
                        ? applyGlobal(attribute.getKey(), attribute.getValue(), changes, customFieldSchema, ignored)
                        : applyApp(attribute.getKey(), attribute.getValue(), changes, customFieldSchema, ignored);
                switch (outcome.kind) {
                    case APPLIED -> (type.equals(GLOBAL) ? appliedGlobal : appliedApp).add(attribute.getKey());
                    case IGNORED -> ignored.add(new Issue(type, attribute.getKey(), outcome.code.name()));
                    case REJECTED -> rejected.add(new Issue(type, attribute.getKey(), outcome.code.name()));
                    case PARTIAL -> (type.equals(GLOBAL) ? appliedGlobal : appliedApp).add(attribute.getKey());
                }
            }
        }
        if (changes.distinctKeys() > DISTINCT_KEYS_PER_BATCH_MAX) {
            throw Problem.withDetails(Reason.MAX_KEY_VALUES_LIMIT_EXCEEDED, Map.of(
                    "receivedTotalKeys", changes.distinctKeys(), "maxKeysAllowed", DISTINCT_KEYS_PER_BATCH_MAX, "scope", "batch")).reject();
        }
        return new Batch(changes, appliedGlobal, appliedApp, ignored, rejected);
    }

    private static void checkShape(JsonNode update) {
        if (!update.isObject()) {
            throw Problem.field("updates[]", ErrorCode.INVALID_VALUE_TYPE).reject();
        }
        JsonNode type = update.get("type");
        if (type == null || !type.isTextual() || !(type.asText().equals(GLOBAL) || type.asText().equals(APP))) {
            throw Problem.field("updates[].type", ErrorCode.INVALID_VALUE).reject();
        }
        JsonNode attributes = update.get("attributes");
        if (attributes == null || !attributes.isObject()) {
            throw Problem.field("updates[].attributes", ErrorCode.INVALID_VALUE_TYPE).reject();
        }
        // Helpshift Web Chat: only 100 keys are allowed per update; the batch is refused whole.
        if (attributes.size() > Limits.ATTRIBUTE_KEYS_PER_UPDATE_MAX) {
            throw Problem.withDetails(Reason.MAX_KEY_VALUES_LIMIT_EXCEEDED, Map.of(
                    "receivedTotalKeys", attributes.size(),
                    "maxKeysAllowed", Limits.ATTRIBUTE_KEYS_PER_UPDATE_MAX,
                    "type", type.asText())).reject();
        }
    }

    private enum Kind { APPLIED, IGNORED, REJECTED, PARTIAL }

    private record Outcome(Kind kind, ErrorCode code) {
        static final Outcome APPLIED = new Outcome(Kind.APPLIED, null);
        static final Outcome PARTIAL = new Outcome(Kind.PARTIAL, null);

        static Outcome ignored(ErrorCode code) {
            return new Outcome(Kind.IGNORED, code);
        }

        static Outcome rejected(ErrorCode code) {
            return new Outcome(Kind.REJECTED, code);
        }
    }

    private static Outcome applyGlobal(String key, JsonNode value, AttributeChanges changes, Map<String, String> schema, List<Issue> ignored) {
        if (key.length() > Limits.KEY_LENGTH_MAX) {
            return Outcome.rejected(ErrorCode.KEY_LENGTH_LIMIT_EXCEEDED);
        }
        if (GLOBAL_STRING_KEYS.contains(key)) {
            ErrorCode error = stringError(value);
            if (error != null) {
                return Outcome.ignored(error);
            }
            changes.setGlobal(key, value.asText());
            return Outcome.APPLIED;
        }
        if (key.equals("age")) {
            if (value.isIntegralNumber() && value.canConvertToLong()) {
                changes.setGlobal(key, value.asLong());
                return Outcome.APPLIED;
            }
            ErrorCode error = stringError(value);
            if (error != null) {
                return Outcome.ignored(error);
            }
            changes.setGlobal(key, value.asText());
            return Outcome.APPLIED;
        }
        if (TAG_KEYS.contains(key)) {
            List<String> tags = tags(value);
            if (tags == null) {
                return Outcome.ignored(value.isArray() && value.size() > Limits.COLLECTION_SIZE_MAX
                        ? ErrorCode.COLLECTION_SIZE_LIMIT_EXCEEDED
                        : value.isArray() ? ErrorCode.VALUE_LENGTH_LIMIT_EXCEEDED : ErrorCode.INVALID_VALUE_TYPE);
            }
            switch (key) {
                case "new_tags" -> changes.addTags(tags);
                case "tags_to_remove" -> changes.removeTags(tags);
                default -> changes.resetTags(tags);
            }
            return Outcome.APPLIED;
        }
        if (key.equals(CUSTOM_USER_FIELDS)) {
            return customFields(GLOBAL, value, schema, changes::setGlobalCustomField, ignored);
        }
        return Outcome.rejected(ErrorCode.UNSUPPORTED_KEY);
    }

    private static Outcome applyApp(String key, JsonNode value, AttributeChanges changes, Map<String, String> schema, List<Issue> ignored) {
        if (key.length() > Limits.KEY_LENGTH_MAX) {
            return Outcome.rejected(ErrorCode.KEY_LENGTH_LIMIT_EXCEEDED);
        }
        if (APP_STRING_KEYS.contains(key)) {
            ErrorCode error = stringError(value);
            if (error != null) {
                return Outcome.ignored(error);
            }
            changes.setApp(key, value.asText());
            return Outcome.APPLIED;
        }
        if (key.equals(CUSTOM_USER_FIELDS)) {
            return customFields(APP, value, schema, changes::setAppCustomField, ignored);
        }
        return Outcome.rejected(ErrorCode.UNSUPPORTED_KEY);
    }

    private static ErrorCode stringError(JsonNode value) {
        if (!value.isTextual()) {
            return ErrorCode.INVALID_VALUE_TYPE;
        }
        return value.asText().length() > ATTRIBUTE_VALUE_LENGTH_MAX ? ErrorCode.VALUE_LENGTH_LIMIT_EXCEEDED : null;
    }

    /** A list of at most 30 non-blank strings of at most 100 chars, or null. */
    private static List<String> tags(JsonNode value) {
        if (!value.isArray() || value.size() > Limits.COLLECTION_SIZE_MAX) {
            return null;
        }
        List<String> tags = new ArrayList<>();
        for (JsonNode tag : value) {
            if (!tag.isTextual() || tag.asText().isBlank() || tag.asText().length() > Limits.TAG_LENGTH_MAX) {
                return null;
            }
            tags.add(tag.asText());
        }
        return tags;
    }

    private interface FieldSink {
        void set(String key, String value);
    }

    /**
     * Custom user fields: a map of at most 30 string entries. Field by field: a key longer than
     * 255 or outside the app's schema (when it has one) is reported; a value of the wrong type or
     * length for its field type is ignored and reported; the others apply.
     */
    private static Outcome customFields(String type, JsonNode value, Map<String, String> schema, FieldSink sink, List<Issue> ignored) {
        if (!value.isObject()) {
            return Outcome.ignored(ErrorCode.INVALID_VALUE_TYPE);
        }
        if (value.size() > Limits.COLLECTION_SIZE_MAX) {
            return Outcome.ignored(ErrorCode.COLLECTION_SIZE_LIMIT_EXCEEDED);
        }
        int applied = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String reportedKey = CUSTOM_USER_FIELDS + "." + field.getKey();
            ErrorCode error = fieldError(field.getKey(), field.getValue(), schema);
            if (error == null) {
                sink.set(field.getKey(), field.getValue().asText());
                applied++;
            } else {
                ignored.add(new Issue(type, reportedKey, error.name()));
            }
        }
        return applied > 0 || value.isEmpty() ? Outcome.PARTIAL : Outcome.ignored(ErrorCode.INVALID_VALUE);
    }

    /** The rules of one custom user field (attribute batches and CSV import columns). */
    public static ErrorCode fieldError(String key, JsonNode value, Map<String, String> schema) {
        ErrorCode keyError = fieldKeyError(key, schema);
        if (keyError != null) {
            return keyError;
        }
        return value.isTextual() ? fieldError(key, value.asText(), schema) : ErrorCode.INVALID_VALUE_TYPE;
    }

    private static ErrorCode fieldKeyError(String key, Map<String, String> schema) {
        if (key.isBlank()) {
            return ErrorCode.EMPTY_DATA;
        }
        if (key.length() > Limits.KEY_LENGTH_MAX) {
            return ErrorCode.KEY_LENGTH_LIMIT_EXCEEDED;
        }
        return (schema.isEmpty() ? "single-line" : schema.get(key)) == null ? ErrorCode.UNSUPPORTED_KEY : null;
    }

    /** A custom field's value that is already a string (a CSV cell, a JSON string). */
    public static ErrorCode fieldError(String key, String text, Map<String, String> schema) {
        ErrorCode keyError = fieldKeyError(key, schema);
        if (keyError != null) {
            return keyError;
        }
        String fieldType = schema.isEmpty() ? "single-line" : schema.get(key);
        int max = fieldType.equals("multi-line") ? Limits.MULTILINE_CUSTOM_FIELD_VALUE_LENGTH_MAX : Limits.CUSTOM_FIELD_VALUE_LENGTH_MAX;
        if (text.length() > max) {
            return ErrorCode.VALUE_LENGTH_LIMIT_EXCEEDED;
        }
        return switch (fieldType) {
            case "single-line", "dropdown" -> text.contains("\n") ? ErrorCode.INVALID_VALUE : null;
            case "multi-line" -> null;
            case "number" -> isNumber(text) ? null : ErrorCode.INVALID_VALUE;
            case "date" -> isDate(text) ? null : ErrorCode.INVALID_VALUE;
            case "checkbox" -> text.equals("true") || text.equals("false") ? null : ErrorCode.INVALID_VALUE;
            default -> ErrorCode.UNSUPPORTED_KEY;
        };
    }

    private static boolean isNumber(String text) {
        try {
            new BigDecimal(text.trim());
            return !text.isBlank();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Epoch seconds or milliseconds, or an ISO date (yyyy-mm-dd). */
    private static boolean isDate(String text) {
        if (text.matches("\\d{1,13}")) {
            return true;
        }
        try {
            LocalDate.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
