package io.userhub.shared.validation;

import io.userhub.shared.model.AttributeChanges;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A profile holds at most {@link Limits#PROFILE_TAGS_MAX} tags; a batch that would leave more is
 * refused with TAGS_LIMIT_EXCEEDED and writes nothing. Storage first writes assuming the batch's
 * {@link #assumedGrowth} (every added tag new), under the condition that the profile holds at most
 * {@link #mostBefore} tags; only when that fails does it read the tags and ask {@link #growthGiven}.
 */
public final class TagCap {
    private TagCap() {}

    /** Refuses a batch that replaces the tags with more than the cap. */
    public static void checkReset(AttributeChanges changes) {
        changes.tagsResetTo().ifPresent(tags -> requireRoom(tags.size(), 0, tags.size()));
    }

    /** The growth to assume before reading: every added tag is new, no removed one exists. */
    public static int assumedGrowth(AttributeChanges changes) {
        return changes.tagsResetTo().isPresent() ? 0 : changes.tagsAdded().size();
    }

    /** How many tags the profile may hold before a batch that adds {@code growth} of them. */
    public static int mostBefore(int growth) {
        return Math.max(0, Limits.PROFILE_TAGS_MAX - growth);
    }

    /**
     * The exact growth given the profile's current tags.
     *
     * @throws Rejection TAGS_LIMIT_EXCEEDED when the result would exceed the cap
     */
    public static int growthGiven(Set<String> current, AttributeChanges changes) {
        Set<String> resulting = new HashSet<>(current);
        resulting.addAll(changes.tagsAdded());
        resulting.removeAll(changes.tagsRemoved());
        requireRoom(resulting.size(), current.size(), changes.tagsAdded().size());
        return resulting.size() - current.size();
    }

    private static void requireRoom(int resulting, int current, int adding) {
        if (resulting > Limits.PROFILE_TAGS_MAX) {
            throw Problem.withDetails(Reason.TAGS_LIMIT_EXCEEDED, Map.of(
                    "currentTags", current, "addingTags", adding, "maxTagsAllowed", Limits.PROFILE_TAGS_MAX)).reject();
        }
    }
}
