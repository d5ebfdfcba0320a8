package io.userhub.shared.store;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The last day each signing key verified a token, one small item per key in the users table
 * ({@code A#<app>#KEYUSE#<kid>}): the functions that verify tokens may write there, while the
 * Apps table, which holds the keys themselves, stays read-only to them.
 */
@WritesItems(ItemType.KEY_USE)
public final class KeyUses {
    private static final String SORT_KEY = "KEYUSE";

    private final DynamoDbClient dynamo;
    private final String table;

    public KeyUses(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    private static String key(String appId, String kid) {
        return "A#" + appId + "#KEYUSE#" + kid;
    }

    /** Marks the key used on {@code epochDay} unless that day or a later one is marked already (one conditional UpdateItem). */
    public void record(String appId, String kid, long epochDay) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Items.key(key(appId, kid), SORT_KEY))
                    .updateExpression("SET last_used_day = :day")
                    .conditionExpression("attribute_not_exists(last_used_day) OR last_used_day < :day")
                    .expressionAttributeValues(Map.of(":day", Items.n(epochDay))));
        } catch (ConditionalCheckFailedException markedAlready) {
            // Another function marked the day first.
        }
    }

    /** The last day of use of each key that has one, by kid (one BatchGetItem per 100 keys). */
    public Map<String, Long> lastUsedDays(String appId, List<String> kids) {
        Map<String, Long> days = new HashMap<>();
        Map<String, Map<String, AttributeValue>> found = BatchReads.byPk(dynamo, table,
                kids.stream().map(kid -> Items.key(key(appId, kid), SORT_KEY)).toList(), true);
        for (String kid : kids) {
            Map<String, AttributeValue> item = found.get(key(appId, kid));
            if (item != null) {
                days.put(kid, Items.number(item, "last_used_day"));
            }
        }
        return days;
    }
}
