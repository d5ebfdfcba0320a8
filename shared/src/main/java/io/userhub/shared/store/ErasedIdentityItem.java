package io.userhub.shared.store;

import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.model.Identity;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import java.util.Map;

/**
 * What an erase leaves of an identity for a while ({@code pk = D#<domain>#X#<identifier>#<sha256>,
 * sk = ERASED}): its digest, never its value, so a re-import of stale data can be told apart.
 */
@WritesItems(ItemType.ERASED_IDENTITY)
public final class ErasedIdentityItem {
    private ErasedIdentityItem() {}

    static final String SORT_KEY = "ERASED";

    static String partition(String domainId, Identity identity) {
        return "D#" + domainId + "#X#" + identity.identifier() + "#" + Hashing.sha256Hex(identity.normalizedValue());
    }

    static Map<String, AttributeValue> key(String domainId, Identity identity) {
        return Items.key(partition(domainId, identity), SORT_KEY);
    }

    /** One PutItem; TTL removes it at {@code until}. */
    static PutItemRequest put(String table, String domainId, Identity identity, long now, long until) {
        return PutItemRequest.builder().tableName(table).item(Map.of(
                "pk", Items.s(partition(domainId, identity)),
                "sk", Items.s(SORT_KEY),
                "identifier", Items.s(identity.identifier()),
                "erased_at", Items.n(now),
                "ttl", Items.n(until))).build();
    }
}
