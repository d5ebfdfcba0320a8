package io.userhub.shared.model;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * Everything a profile holds, as the server-to-server lookup shows it. Attribute values are
 * strings, whole numbers or booleans, as they were stored.
 *
 * @param createdAt   epoch seconds, null when unknown
 * @param lastLoginAt epoch seconds, null when unknown
 * @param mergedInto  the identified user an anonymous profile was merged into, or null
 * @param pinnedApps  the apps in which a security hash is pinned for this user's user id
 * @param unverifiedIdentities identities a token said are unverified: on the profile, never claimed
 */
public record UserDetails(String userId, boolean anonymous, String displayName, Long createdAt, Long lastLoginAt,
                          String mergedInto, List<StoredIdentity> identities, List<HistoryEntry> history,
                          SortedMap<String, Object> global, SortedMap<String, Object> customFields, SortedSet<String> tags,
                          SortedMap<String, Object> fields, Set<String> pinnedApps, List<StoredIdentity> unverifiedIdentities) {

    public UserDetails {
        unverifiedIdentities = unverifiedIdentities == null ? List.of() : List.copyOf(unverifiedIdentities);
    }

    /** One move of an identity between profiles, from this profile's side ({@code moved_in} / {@code moved_out}). */
    public record HistoryEntry(String action, String identifier, String value, String otherUserId, long at) {}

    /** A user's data in one app: its app attributes and app custom fields. */
    public record AppData(SortedMap<String, String> attributes, SortedMap<String, String> customFields) {
        public static final AppData NONE = new AppData(new java.util.TreeMap<>(), new java.util.TreeMap<>());
    }

    /**
     * What one Query of a user's partition finds: the profile, the data of each app (by app id),
     * the keys of the sessions its logins pointed to, and the sort keys of its app data items, of
     * its other items (merge lineages) and of its session pointers.
     */
    public record Partition(UserDetails profile, Map<String, AppData> appData, List<String> sessionKeys,
                            List<String> appDataSortKeys, List<String> otherSortKeys, List<String> sessionPointerSortKeys) {}
}
