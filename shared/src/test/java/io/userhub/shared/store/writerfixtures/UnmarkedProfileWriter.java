package io.userhub.shared.store.writerfixtures;

import io.userhub.shared.store.ProfileItem;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** A class that writes the profile without being its writer: what OneWriterPerItemTest must catch. */
public final class UnmarkedProfileWriter {
    public void renameBehindTheWritersBack(DynamoDbClient dynamo, String table) {
        dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(ProfileItem.key("d", "u"))
                .updateExpression("SET display_name = :n").build());
    }
}
