package io.userhub.shared.store;

/**
 * The one key pattern several item types share: a user's partition in the users table, which
 * holds the profile ({@link ProfileItem}), app data ({@link AppDataItem}), device pointers
 * ({@link DevicePointerItem}) and merge lineages ({@link LineageItem}), told apart by sort key.
 * Every other pattern lives in the class that writes its items ({@link WritesItems}). Every key
 * starts with the domain or app it belongs to, so no request of one app can address another's
 * items; raw identity values, device ids, jtis and tokens appear in keys only as SHA-256 digests.
 */
public final class Keys {
    private Keys() {}

    public static String userPartition(String domainId, String userId) {
        return "D#" + domainId + "#U#" + userId;
    }
}
