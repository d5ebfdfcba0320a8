package io.userhub.shared.identity;

import io.userhub.shared.identity.MergePolicy.Carried;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which of the attributes a MERGE filled in an unmerge takes back: those the user still holds with
 * the merged value. One the user has changed since stays (and the answer says so): the change is
 * newer than the merge. The store removes each only if it still has that value when it writes.
 */
public final class UnmergePlan {
    private UnmergePlan() {}

    /** The attributes to remove (with the values they must still have), and the labels of those removed and kept. */
    public record AttributeUndo(CarriedAttributes removable, List<String> removed, List<String> kept) {
        public static final AttributeUndo NONE = new AttributeUndo(CarriedAttributes.NONE, List.of(), List.of());
    }

    public static AttributeUndo attributeUndo(CarriedAttributes filledByMerge, CarriedAttributes current) {
        List<String> removed = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        Map<Carried, Map<String, Object>> profile = split(filledByMerge.profile(), current.profile(), null, removed, kept);
        Map<String, Map<Carried, Map<String, Object>>> apps = new LinkedHashMap<>();
        filledByMerge.apps().forEach((appId, groups) ->
                apps.put(appId, split(groups, current.apps().getOrDefault(appId, Map.of()), appId, removed, kept)));
        return new AttributeUndo(new CarriedAttributes(profile, apps), removed, kept);
    }

    private static Map<Carried, Map<String, Object>> split(Map<Carried, Map<String, Object>> merged, Map<Carried, Map<String, Object>> current,
                                                         String appId, List<String> removed, List<String> kept) {
        Map<Carried, Map<String, Object>> removable = new EnumMap<>(Carried.class);
        merged.forEach((group, values) -> values.forEach((key, value) -> {
            String label = CarriedAttributes.label(group, appId, key);
            if (value.equals(current.getOrDefault(group, Map.of()).get(key))) {
                removable.computeIfAbsent(group, g -> new LinkedHashMap<>()).put(key, value);
                removed.add(label);
            } else {
                kept.add(label);
            }
        }));
        return removable;
    }
}
