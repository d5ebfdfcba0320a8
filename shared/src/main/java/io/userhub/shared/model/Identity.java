package io.userhub.shared.model;

import java.util.Locale;
import java.util.Map;

/** One validated identity of a person: an identifier, its value and optional metadata. */
public record Identity(String identifier, String value, Map<String, String> metadata) {

    public static final String UID = "uid";
    public static final String EMAIL = "email";

    public Identity {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public static Identity uid(String value) {
        return new Identity(UID, value, Map.of());
    }

    public boolean isUid() {
        return UID.equals(identifier);
    }

    public boolean isEmail() {
        return EMAIL.equals(identifier);
    }

    /** Emails match case-insensitively (SPEC section 3); every other value matches exactly. */
    public String normalizedValue() {
        return isEmail() ? value.trim().toLowerCase(Locale.ROOT) : value;
    }

    /** The key of this identity inside a profile's identity map. */
    public String profileKey() {
        return identifier + ":" + normalizedValue();
    }
}
