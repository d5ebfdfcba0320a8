package io.userhub.shared.identity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a login under the MERGE anonymous policy carries from the device's anonymous user into
 * the identified user: global attributes, global custom fields and tags of the profile, and the
 * app attributes and app custom fields of each app. The identified user's own values win; the
 * anonymous user's only fill the keys the identified user lacks. Storage adapters carry out this
 * rule (DynamoDB with {@code if_not_exists}, the in-memory adapter with {@link #carried}), and the
 * merge's lineage keeps what was filled so that an unmerge takes exactly that back.
 */
public final class MergePolicy {
    private MergePolicy() {}

    /** The attribute groups a merge carries. */
    public enum Carried {
        GLOBAL_ATTRIBUTES, GLOBAL_CUSTOM_FIELDS, TAGS, APP_ATTRIBUTES, APP_CUSTOM_FIELDS;

        public boolean profileWide() {
            return this == GLOBAL_ATTRIBUTES || this == GLOBAL_CUSTOM_FIELDS || this == TAGS;
        }
    }

    public static final List<Carried> PROFILE_WIDE = List.of(Carried.GLOBAL_ATTRIBUTES, Carried.GLOBAL_CUSTOM_FIELDS, Carried.TAGS);
    public static final List<Carried> PER_APP = List.of(Carried.APP_ATTRIBUTES, Carried.APP_CUSTOM_FIELDS);

    /** The anonymous user's entries of one group that a merge fills in: those whose key the receiving user lacks. */
    public static <V> Map<String, V> carried(Map<String, V> anonymous, Map<String, V> receiving) {
        Map<String, V> filled = new LinkedHashMap<>();
        anonymous.forEach((key, value) -> {
            if (!receiving.containsKey(key)) {
                filled.put(key, value);
            }
        });
        return filled;
    }
}
