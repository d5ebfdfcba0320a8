package io.userhub.shared.store;

import io.userhub.shared.crypto.Hashing;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;

import java.util.Map;

/**
 * A user id's pinned security hash in an app ({@code pk = A#<app>#PIN#<sha256(user id)>, sk = PIN}):
 * the first hash a login sent, or the one an import set for the profile it names.
 */
@WritesItems(ItemType.PIN)
public final class PinItem {
    private PinItem() {}

    static final String SORT_KEY = "PIN";

    public static String partition(String appId, String userIdValue) {
        return "A#" + appId + "#PIN#" + Hashing.sha256Hex(userIdValue);
    }

    static Map<String, AttributeValue> key(String appId, String userIdValue) {
        return Items.key(partition(appId, userIdValue), SORT_KEY);
    }

    /**
     * Pins a security hash a login sent first; the condition keeps the first accepted hash even
     * under concurrent logins, and never replaces an import's pin (which names its profile), even
     * one of the same hash that this login did not see when it read.
     */
    static Put pinnedByLogin(String table, String appId, String userIdValue, String pinHash) {
        return Put.builder().tableName(table)
                .item(Map.of(
                        "pk", Items.s(partition(appId, userIdValue)),
                        "sk", Items.s(SORT_KEY),
                        "pin_hash", Items.s(pinHash)))
                .conditionExpression("attribute_not_exists(pk) OR (pin_hash = :hash AND attribute_not_exists(profile_user_id))")
                .expressionAttributeValues(Map.of(":hash", Items.s(pinHash)))
                .build();
    }

    /** The import's pin: the hash and the imported profile it opens; refused when the same pin is there already. */
    static Put pinnedByImport(String table, String appId, String userIdValue, String pinHash, String userId) {
        return Put.builder().tableName(table)
                .item(Map.of(
                        "pk", Items.s(partition(appId, userIdValue)),
                        "sk", Items.s(SORT_KEY),
                        "pin_hash", Items.s(pinHash),
                        "profile_user_id", Items.s(userId)))
                .conditionExpression("attribute_not_exists(pk) OR pin_hash <> :hash OR attribute_not_exists(profile_user_id)"
                        + " OR profile_user_id <> :user")
                .expressionAttributeValues(Map.of(":hash", Items.s(pinHash), ":user", Items.s(userId)))
                .build();
    }

    /** Deletes the pin when it is the erased profile's: one a login set (no profile named), or the import's pin of this profile. */
    static DeleteItemRequest deleteForErasedProfile(String table, String appId, String userIdValue, String userId) {
        return DeleteItemRequest.builder().tableName(table).key(key(appId, userIdValue))
                .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(profile_user_id) OR profile_user_id = :user)")
                .expressionAttributeValues(Map.of(":user", Items.s(userId)))
                .build();
    }
}
