package io.userhub.shared.identity;

import io.userhub.shared.identity.MergePolicy.Carried;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Attributes of the groups a merge carries, by where they live: the profile-wide groups, and per
 * app (by app id) that app's groups. Values are plain: String, Long or Boolean (a tag's
 * {@code true}).
 */
public record CarriedAttributes(Map<Carried, Map<String, Object>> profile, Map<String, Map<Carried, Map<String, Object>>> apps) {
    public static final CarriedAttributes NONE = new CarriedAttributes(Map.of(), Map.of());

    public CarriedAttributes {
        profile = copy(profile);
        Map<String, Map<Carried, Map<String, Object>>> appCopies = new LinkedHashMap<>();
        apps.forEach((appId, groups) -> {
            Map<Carried, Map<String, Object>> copied = copy(groups);
            if (!copied.isEmpty()) {
                appCopies.put(appId, copied);
            }
        });
        apps = java.util.Collections.unmodifiableMap(appCopies);
    }

    private static Map<Carried, Map<String, Object>> copy(Map<Carried, Map<String, Object>> groups) {
        Map<Carried, Map<String, Object>> copied = new java.util.EnumMap<>(Carried.class);
        groups.forEach((group, values) -> {
            if (!values.isEmpty()) {
                copied.put(group, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values)));
            }
        });
        return java.util.Collections.unmodifiableMap(copied);
    }

    public boolean isEmpty() {
        return profile.isEmpty() && apps.isEmpty();
    }

    /**
     * How an attribute is named to the caller: {@code global.<key>}, {@code global_custom_fields.<key>},
     * {@code tags.<tag>} on the profile; {@code app.<app id>.<key>}, {@code app_custom_fields.<app id>.<key>} in an app.
     */
    public static String label(Carried group, String appId, String key) {
        String name = switch (group) {
            case GLOBAL_ATTRIBUTES -> "global";
            case GLOBAL_CUSTOM_FIELDS -> "global_custom_fields";
            case TAGS -> "tags";
            case APP_ATTRIBUTES -> "app";
            case APP_CUSTOM_FIELDS -> "app_custom_fields";
        };
        return group.profileWide() ? name + "." + key : name + "." + appId + "." + key;
    }

    /** Every attribute's label, profile first. */
    public List<String> labels() {
        List<String> labels = new java.util.ArrayList<>();
        profile.forEach((group, values) -> values.keySet().forEach(key -> labels.add(label(group, null, key))));
        apps.forEach((appId, groups) -> groups.forEach((group, values) -> values.keySet().forEach(key -> labels.add(label(group, appId, key)))));
        return labels;
    }
}
