package io.userhub.shared.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.model.AttributeChanges;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Profile attributes the customer's backend vouches for, as Intercom's signed user fields: an
 * identities token may carry {@code "attributes": {"global": {...}, "app": {...}}}, read by the
 * same rules as {@code POST /v1/attributes}; an app may mark keys signed-only, which the client
 * route then refuses to change.
 */
public final class SignedAttributes {
    private SignedAttributes() {}

    public static final String CLAIM = "attributes";
    /** A signed-only entry that covers every tag operation. */
    public static final String TAGS = "tags";

    /**
     * The token's attributes, or empty when it carries none. A key the client route would reject
     * or ignore is an error of the backend's token: refused, naming the key, before anything is written.
     */
    public static Optional<AttributeChanges> read(JsonNode payload, Map<String, String> customFieldSchema) {
        JsonNode claim = payload == null ? null : payload.get(CLAIM);
        if (claim == null || claim.isNull()) {
            return Optional.empty();
        }
        if (!claim.isObject()) {
            throw malformed(Map.of(CLAIM, ErrorCode.INVALID_VALUE_TYPE.name()));
        }
        ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        ArrayNode updates = body.putArray("updates");
        Map<String, String> errors = new LinkedHashMap<>();
        claim.fields().forEachRemaining(entry -> {
            if (!entry.getKey().equals(AttributeRules.GLOBAL) && !entry.getKey().equals(AttributeRules.APP)) {
                errors.put(CLAIM + "." + entry.getKey(), ErrorCode.UNSUPPORTED_KEY.name());
            } else {
                updates.addObject().put("type", entry.getKey()).set("attributes", entry.getValue());
            }
        });
        if (!errors.isEmpty()) {
            throw malformed(errors);
        }
        AttributeRules.Batch batch;
        try {
            batch = AttributeRules.read(body, customFieldSchema);
        } catch (Rejection refused) {
            throw new Problem(Reason.IDENTITY_TOKEN_INVALID, refused.problem().errors(),
                    withCause(refused.problem().details())).reject();
        }
        batch.rejected().forEach(issue -> errors.put(CLAIM + "." + issue.type() + "." + issue.key(), issue.code()));
        batch.ignored().forEach(issue -> errors.put(CLAIM + "." + issue.type() + "." + issue.key(), issue.code()));
        if (!errors.isEmpty()) {
            throw malformed(errors);
        }
        return Optional.of(batch.changes());
    }

    /** The client route's check: a batch that would change a signed-only key is refused whole, naming the key. */
    public static void requireClientMayChange(AttributeChanges changes, Set<String> signedOnlyKeys) {
        if (signedOnlyKeys.isEmpty()) {
            return;
        }
        check(changes.global().keySet(), AttributeRules.GLOBAL, signedOnlyKeys);
        check(changes.globalCustomFields().keySet(), AttributeRules.GLOBAL, signedOnlyKeys);
        check(changes.app().keySet(), AttributeRules.APP, signedOnlyKeys);
        check(changes.appCustomFields().keySet(), AttributeRules.APP, signedOnlyKeys);
        boolean touchesTags = changes.tagsResetTo().isPresent() || !changes.tagsAdded().isEmpty() || !changes.tagsRemoved().isEmpty();
        if (touchesTags && signedOnlyKeys.contains(TAGS)) {
            throw refused(TAGS, AttributeRules.GLOBAL);
        }
    }

    private static void check(Set<String> keys, String type, Set<String> signedOnlyKeys) {
        for (String key : keys) {
            if (signedOnlyKeys.contains(key)) {
                throw refused(key, type);
            }
        }
    }

    private static Rejection refused(String key, String type) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("key", key);
        details.put("type", type);
        return Problem.withDetails(Reason.SIGNED_ONLY_ATTRIBUTE, details).reject();
    }

    private static Rejection malformed(Map<String, String> errors) {
        return new Problem(Reason.IDENTITY_TOKEN_INVALID, errors, Map.of("cause", TokenFailureCause.MALFORMED.name(), "claim", CLAIM))
                .reject();
    }

    private static Map<String, Object> withCause(Map<String, Object> details) {
        Map<String, Object> all = new LinkedHashMap<>(details);
        all.put("cause", TokenFailureCause.MALFORMED.name());
        all.put("claim", CLAIM);
        return all;
    }
}
