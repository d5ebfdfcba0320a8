package io.userhub.shared.model;

import java.util.Map;
import java.util.Optional;

/**
 * Everything a login reads in its first round trip. Claims are keyed by {@link Identity#profileKey()}.
 *
 * @param pinnedProfile the profile an import's security-hash pin opens (the user id's imported, verified profile), if the pin is one
 */
public record LoginState(Map<String, Claim> claims, DeviceState device, Optional<String> pinHash, Optional<String> pinnedProfile) {

    public LoginState {
        claims = Map.copyOf(claims);
    }

    public LoginState(Map<String, Claim> claims, DeviceState device, Optional<String> pinHash) {
        this(claims, device, pinHash, Optional.empty());
    }

    public Optional<Claim> claim(Identity identity) {
        return Optional.ofNullable(claims.get(identity.profileKey()));
    }
}
