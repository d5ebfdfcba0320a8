package io.userhub.shared.model;

import java.text.Normalizer;
import java.util.Map;

/** One validated identity of a person: an identifier, its value and optional metadata. */
public record Identity(String identifier, String value, Map<String, String> metadata) {

    public static final String UID = "uid";
    public static final String EMAIL = "email";
    public static final String PHONE_NUMBER = "phone_number";
    /**
     * The user ids of logins that prove nothing (user-id mode without a verified security hash):
     * a namespace of their own, so such a login never reaches a profile whose uid a signed token
     * or the server-side import established (SPEC section 7). No token may assert it.
     */
    public static final String UNVERIFIED_UID = "unverified_uid";

    public Identity {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public static Identity uid(String value) {
        return new Identity(UID, value, Map.of());
    }

    public static Identity unverifiedUid(String value) {
        return new Identity(UNVERIFIED_UID, value, Map.of());
    }

    /** A uid of either namespace: it decides the profile and never moves. */
    public boolean isUid() {
        return isUidIdentifier(identifier);
    }

    public static boolean isUidIdentifier(String identifier) {
        return UID.equals(identifier) || UNVERIFIED_UID.equals(identifier);
    }

    public boolean isEmail() {
        return EMAIL.equals(identifier);
    }

    /**
     * Values are compared in Unicode NFC, so that one text has one key. Emails also match ASCII
     * case-insensitively, with the ASCII spaces around them trimmed (SPEC section 3 and 7); only
     * A-Z are folded: validation has already refused anything that folds onto ASCII otherwise.
     */
    public String normalizedValue() {
        String composed = Normalizer.normalize(value, Normalizer.Form.NFC);
        return isEmail() ? asciiLowerCase(trimAsciiSpaces(composed)) : composed;
    }

    public static String trimAsciiSpaces(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && value.charAt(start) == ' ') {
            start++;
        }
        while (end > start && value.charAt(end - 1) == ' ') {
            end--;
        }
        return value.substring(start, end);
    }

    private static String asciiLowerCase(String value) {
        StringBuilder lower = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            lower.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return lower.toString();
    }

    /** The key of this identity inside a profile's identity map. */
    public String profileKey() {
        return identifier + ":" + normalizedValue();
    }
}
