package io.userhub.shared.store;

import com.fasterxml.jackson.core.type.TypeReference;
import io.userhub.shared.json.Json;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * DynamoDB's LastEvaluatedKey as an opaque string, so that paging leaves the store without the
 * SDK's types. Keys hold only strings and numbers; each value is kept with its type ("S:" or "N:").
 */
final class PageCursor {
    private PageCursor() {}

    static Optional<String> of(Map<String, AttributeValue> lastEvaluatedKey) {
        if (lastEvaluatedKey == null || lastEvaluatedKey.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> typed = new LinkedHashMap<>();
        lastEvaluatedKey.forEach((name, value) -> typed.put(name, value.n() != null ? "N:" + value.n() : "S:" + value.s()));
        return Optional.of(Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(typed).getBytes(StandardCharsets.UTF_8)));
    }

    static Map<String, AttributeValue> startKey(String cursor) {
        try {
            Map<String, String> typed = Json.MAPPER.readValue(Base64.getUrlDecoder().decode(cursor), new TypeReference<Map<String, String>>() {});
            Map<String, AttributeValue> key = new LinkedHashMap<>();
            typed.forEach((name, value) -> key.put(name, value.startsWith("N:") ? Items.n(Long.parseLong(value.substring(2)))
                    : Items.s(value.substring(2))));
            return key;
        } catch (java.io.IOException | RuntimeException notACursor) {
            throw new IllegalArgumentException("not a page cursor of this store", notACursor);
        }
    }
}
