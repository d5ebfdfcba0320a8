package io.userhub.shared.store.writerfixtures;

import io.userhub.shared.store.ItemType;
import io.userhub.shared.store.ProfileItem;
import io.userhub.shared.store.WritesItems;
import software.amazon.awssdk.services.dynamodb.model.Put;

/** A second class claiming to write profiles and borrowing the first one's key: what OneWriterPerItemTest must catch. */
@WritesItems(ItemType.PROFILE)
public final class SecondProfileWriter {
    public Put anotherProfile(String table) {
        return Put.builder().tableName(table).item(ProfileItem.key("d", "u")).build();
    }
}
