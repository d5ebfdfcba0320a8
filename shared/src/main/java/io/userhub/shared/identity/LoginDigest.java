package io.userhub.shared.identity;

import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.model.Identity;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a login asserted about its user, as one SHA-256: the identities with their metadata, the
 * user-id mode's fields and display name, the privacy flag. The device's item remembers it;
 * a returning login on that device whose digest is the same has nothing to write on the profile.
 */
public final class LoginDigest {
    private LoginDigest() {}

    public static String of(List<Identity> identities, Map<String, String> fields, String displayName, boolean fullPrivacy) {
        StringBuilder text = new StringBuilder();
        identities.stream().sorted(Comparator.comparing(Identity::profileKey)).forEach(identity -> {
            field(text, identity.profileKey());
            new TreeMap<>(identity.metadata()).forEach((name, value) -> {
                field(text, name);
                field(text, value);
            });
            text.append('\n');
        });
        new TreeMap<>(fields).forEach((name, value) -> {
            field(text, name);
            field(text, value);
        });
        text.append('\n');
        field(text, displayName == null ? "" : displayName);
        field(text, fullPrivacy ? "private" : "");
        return Hashing.sha256Hex(text.toString());
    }

    /** Length-prefixed, so that no two different assertions write the same text. */
    private static void field(StringBuilder text, String value) {
        text.append(value.length()).append(':').append(value).append(';');
    }
}
