package io.userhub.shared.store;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** BatchGetItem done whole: at most 100 keys a call, and the keys DynamoDB left unprocessed asked again. */
final class BatchReads {
    private BatchReads() {}

    private static final int MAX_KEYS_PER_CALL = 100;

    /** Every item the request finds, in any of its tables (at most 100 keys in all). */
    static List<Map<String, AttributeValue>> all(DynamoDbClient dynamo, Map<String, KeysAndAttributes> request) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        Map<String, KeysAndAttributes> pending = request;
        while (!pending.isEmpty()) {
            BatchGetItemResponse response = dynamo.batchGetItem(BatchGetItemRequest.builder().requestItems(pending).build());
            response.responses().values().forEach(found::addAll);
            pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        }
        return found;
    }

    /** The items of one table found for these keys, by partition key. */
    static Map<String, Map<String, AttributeValue>> byPk(DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> keys,
                                                         boolean consistent) {
        Map<String, Map<String, AttributeValue>> byPk = new HashMap<>();
        List<Map<String, AttributeValue>> distinct = keys.stream().distinct().toList();
        for (int from = 0; from < distinct.size(); from += MAX_KEYS_PER_CALL) {
            KeysAndAttributes chunk = KeysAndAttributes.builder().consistentRead(consistent)
                    .keys(distinct.subList(from, Math.min(distinct.size(), from + MAX_KEYS_PER_CALL))).build();
            all(dynamo, Map.of(table, chunk)).forEach(item -> byPk.put(Items.string(item, "pk"), item));
        }
        return byPk;
    }
}
