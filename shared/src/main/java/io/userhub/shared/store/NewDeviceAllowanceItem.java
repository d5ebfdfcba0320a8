package io.userhub.shared.store;

import software.amazon.awssdk.services.dynamodb.model.Update;

import java.util.Map;

/**
 * A source IP's count of new anonymous devices in an app in one hour
 * ({@code pk = A#<app>#ANONIP#<ip digest>#<epoch hour>, sk = ALLOWANCE}). The IP is kept as a digest only.
 */
@WritesItems(ItemType.NEW_DEVICE_ALLOWANCE)
public final class NewDeviceAllowanceItem {
    private NewDeviceAllowanceItem() {}

    static final String SORT_KEY = "ALLOWANCE";

    static String partition(String appId, String sourceIpDigest, long hour) {
        return "A#" + appId + "#ANONIP#" + sourceIpDigest + "#" + hour;
    }

    /**
     * Takes one of the hour's new anonymous devices: the counter rises only while it is below the
     * limit (the condition refuses the login's transaction otherwise), and the item goes an hour
     * after its hour ends.
     */
    static Update take(String table, String appId, String sourceIpDigest, long hour, int limit) {
        return Update.builder().tableName(table)
                .key(Items.key(partition(appId, sourceIpDigest, hour), SORT_KEY))
                .updateExpression("ADD #n :one SET #ttl = :ttl")
                .conditionExpression("attribute_not_exists(#n) OR #n < :limit")
                .expressionAttributeNames(Map.of("#n", "n", "#ttl", "ttl"))
                .expressionAttributeValues(Map.of(":one", Items.n(1), ":limit", Items.n(limit), ":ttl", Items.n((hour + 2) * 3600)))
                .build();
    }
}
