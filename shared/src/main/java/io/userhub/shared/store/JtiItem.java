package io.userhub.shared.store;

import io.userhub.shared.crypto.Hashing;
import software.amazon.awssdk.services.dynamodb.model.Put;

import java.util.Map;

/** A used token id ({@code pk = A#<app>#JTI#<sha256(jti)>, sk = JTI}), kept until the token expires (TTL). */
@WritesItems(ItemType.JTI)
public final class JtiItem {
    private JtiItem() {}

    static final String SORT_KEY = "JTI";

    public static String partition(String appId, String jti) {
        return "A#" + appId + "#JTI#" + Hashing.sha256Hex(jti);
    }

    /** A jti is single-use within the token's lifetime; an expired record that TTL has not yet deleted is reusable. */
    static Put consume(String table, String appId, String jti, long expiresAt, long now) {
        return Put.builder().tableName(table)
                .item(Map.of(
                        "pk", Items.s(partition(appId, jti)),
                        "sk", Items.s(SORT_KEY),
                        "ttl", Items.n(expiresAt)))
                .conditionExpression("attribute_not_exists(pk) OR #ttl < :now")
                .expressionAttributeNames(Map.of("#ttl", "ttl"))
                .expressionAttributeValues(Map.of(":now", Items.n(now)))
                .build();
    }
}
