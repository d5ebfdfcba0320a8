package io.userhub.shared.store;

import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.model.Claim;
import io.userhub.shared.model.Identity;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.util.Map;

/**
 * The owner of one identity value in a domain ({@code pk = D#<domain>#I#<identifier>#<sha256>,
 * sk = CLAIM}): what makes an identity resolve to one user. Claims are created with
 * {@code attribute_not_exists(pk)} and moved only if still where and as old as they were read,
 * never read-then-write.
 */
@WritesItems(ItemType.CLAIM)
public final class ClaimItem {
    private ClaimItem() {}

    static final String SORT_KEY = "CLAIM";

    /** The claim's partition key; the raw value appears only as its digest. */
    public static String partition(String domainId, Identity identity) {
        return "D#" + domainId + "#I#" + identity.identifier() + "#" + Hashing.sha256Hex(identity.normalizedValue());
    }

    static Map<String, AttributeValue> key(String domainId, Identity identity) {
        return Items.key(partition(domainId, identity), SORT_KEY);
    }

    static Claim toClaim(Map<String, AttributeValue> item) {
        return new Claim(Items.string(item, "user_id"), Items.number(item, "asserted_at"));
    }

    static Put create(String table, String domainId, Identity identity, String userId, long assertedAt) {
        return Put.builder().tableName(table)
                .item(Map.of(
                        "pk", Items.s(partition(domainId, identity)),
                        "sk", Items.s(SORT_KEY),
                        "user_id", Items.s(userId),
                        "identifier", Items.s(identity.identifier()),
                        "asserted_at", Items.n(assertedAt)))
                .conditionExpression("attribute_not_exists(pk)")
                .build();
    }

    static ConditionCheck ownedBy(String table, String domainId, Identity identity, String userId) {
        return ConditionCheck.builder().tableName(table)
                .key(key(domainId, identity))
                .conditionExpression("user_id = :owner")
                .expressionAttributeValues(Map.of(":owner", Items.s(userId)))
                .build();
    }

    /** Moves a claim to {@code toUserId} only if it is still {@code from}'s with the time it was read at. */
    static Update move(String table, String domainId, Identity identity, Claim from, String toUserId, long assertedAt) {
        return Update.builder().tableName(table)
                .key(key(domainId, identity))
                .updateExpression("SET user_id = :to, asserted_at = :at")
                .conditionExpression("user_id = :from AND asserted_at = :previous")
                .expressionAttributeValues(Map.of(
                        ":to", Items.s(toUserId),
                        ":at", Items.n(assertedAt),
                        ":from", Items.s(from.userId()),
                        ":previous", Items.n(from.assertedAt())))
                .build();
    }

    /** Deletes the claim if it is still this user's. */
    static DeleteItemRequest release(String table, String domainId, Identity identity, String userId) {
        return DeleteItemRequest.builder().tableName(table).key(key(domainId, identity))
                .conditionExpression("user_id = :user")
                .expressionAttributeValues(Map.of(":user", Items.s(userId)))
                .build();
    }
}
