package io.userhub.shared.model;

import java.util.List;

/** One person of a domain as login and lookup need it. */
public record Profile(String userId, boolean anonymous, String displayName, List<StoredIdentity> identities, String mergedInto) {

    public Profile {
        identities = List.copyOf(identities);
    }

    public boolean hasUid() {
        return identities.stream().anyMatch(i -> Identity.isUidIdentifier(i.identifier()));
    }
}
