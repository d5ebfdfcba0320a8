package io.userhub.shared.model;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A batch of attribute updates folded, in order, into the final value of each key: later values
 * win, {@code reset_tags} replaces the tag set, {@code new_tags} adds, {@code tags_to_remove}
 * removes. What remains is written with one per-key update.
 */
public final class AttributeChanges {
    private final Map<String, Object> global = new LinkedHashMap<>();
    private final Map<String, String> globalCustomFields = new LinkedHashMap<>();
    private final Map<String, String> app = new LinkedHashMap<>();
    private final Map<String, String> appCustomFields = new LinkedHashMap<>();
    private Set<String> tagsResetTo;
    private final Set<String> tagsAdded = new LinkedHashSet<>();
    private final Set<String> tagsRemoved = new LinkedHashSet<>();

    public void setGlobal(String key, Object value) {
        global.put(key, value);
    }

    public void setGlobalCustomField(String key, String value) {
        globalCustomFields.put(key, value);
    }

    public void setApp(String key, String value) {
        app.put(key, value);
    }

    public void setAppCustomField(String key, String value) {
        appCustomFields.put(key, value);
    }

    public void addTags(Iterable<String> tags) {
        for (String tag : tags) {
            if (tagsResetTo != null) {
                tagsResetTo.add(tag);
            } else {
                tagsAdded.add(tag);
                tagsRemoved.remove(tag);
            }
        }
    }

    public void removeTags(Iterable<String> tags) {
        for (String tag : tags) {
            if (tagsResetTo != null) {
                tagsResetTo.remove(tag);
            } else {
                tagsRemoved.add(tag);
                tagsAdded.remove(tag);
            }
        }
    }

    public void resetTags(Iterable<String> tags) {
        tagsResetTo = new LinkedHashSet<>();
        tags.forEach(tagsResetTo::add);
        tagsAdded.clear();
        tagsRemoved.clear();
    }

    public Map<String, Object> global() {
        return global;
    }

    public Map<String, String> globalCustomFields() {
        return globalCustomFields;
    }

    public Map<String, String> app() {
        return app;
    }

    public Map<String, String> appCustomFields() {
        return appCustomFields;
    }

    public Optional<Set<String>> tagsResetTo() {
        return Optional.ofNullable(tagsResetTo);
    }

    public Set<String> tagsAdded() {
        return tagsAdded;
    }

    public Set<String> tagsRemoved() {
        return tagsRemoved;
    }

    public boolean touchesProfile() {
        return !global.isEmpty() || !globalCustomFields.isEmpty() || tagsResetTo != null || !tagsAdded.isEmpty() || !tagsRemoved.isEmpty();
    }

    public boolean touchesApp() {
        return !app.isEmpty() || !appCustomFields.isEmpty();
    }

    /** Distinct keys the write will touch; bounded so the update expression stays within DynamoDB's limits. */
    public int distinctKeys() {
        return global.size() + globalCustomFields.size() + app.size() + appCustomFields.size()
                + (tagsResetTo != null ? 1 : tagsAdded.size() + tagsRemoved.size());
    }
}
