package io.userhub.shared.model;

import java.util.Map;

/** An identity as kept in a profile: the identity plus when its ownership was last asserted. */
public record StoredIdentity(String identifier, String value, Map<String, String> metadata, long assertedAt) {

    public StoredIdentity {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public static StoredIdentity of(Identity identity, long assertedAt) {
        return new StoredIdentity(identity.identifier(), identity.value(), identity.metadata(), assertedAt);
    }

    public Identity identity() {
        return new Identity(identifier, value, metadata);
    }
}
