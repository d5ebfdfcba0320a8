package io.userhub.shared.store;

import io.userhub.shared.crypto.Hashing;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;

import java.util.HashMap;
import java.util.Map;

/**
 * A pointer from the user's partition to the item of a device the user logged in on
 * ({@code sk = SESSION#<sha256(device key)>}), written in the transaction of the login that gave
 * the device to the user, so that erase, lookup and the end of a user's sessions find every one
 * of them with one strongly consistent Query. It names the device's item, which later logins on
 * that device replace in place, so it needs no rewrite and no TTL; a pointer to an item that
 * someone else's login took over is skipped.
 */
@WritesItems(ItemType.DEVICE_POINTER)
public final class DevicePointerItem {
    private DevicePointerItem() {}

    static final String SORT_KEY_PREFIX = "SESSION#";

    static boolean isPointer(String sortKey) {
        return sortKey.startsWith(SORT_KEY_PREFIX);
    }

    /** The device item's key a pointer names. */
    static String deviceKeyOf(Map<String, AttributeValue> item) {
        return Items.string(item, "session_key");
    }

    static Put put(String table, String domainId, String userId, String deviceKey) {
        return Put.builder().tableName(table).item(item(domainId, userId, deviceKey)).build();
    }

    /** The pointer of an anonymous user's device, which expires with the anonymous profile. */
    static Put put(String table, String domainId, String userId, String deviceKey, long expiresAt) {
        Map<String, AttributeValue> item = item(domainId, userId, deviceKey);
        item.put("ttl", Items.n(expiresAt));
        return Put.builder().tableName(table).item(item).build();
    }

    private static Map<String, AttributeValue> item(String domainId, String userId, String deviceKey) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", Items.s(Keys.userPartition(domainId, userId)));
        item.put("sk", Items.s(SORT_KEY_PREFIX + Hashing.sha256Hex(deviceKey)));
        item.put("session_key", Items.s(deviceKey));
        return item;
    }

    static DeleteItemRequest delete(String table, String domainId, String userId, String sortKey) {
        return DeleteItemRequest.builder().tableName(table).key(Items.key(Keys.userPartition(domainId, userId), sortKey))
                .conditionExpression("attribute_exists(pk)").build();
    }
}
