package io.userhub.shared.model;

import java.util.Map;
import java.util.Optional;

/** Everything a login reads in its first round trip. Claims are keyed by {@link Identity#profileKey()}. */
public record LoginState(Map<String, Claim> claims, DeviceState device, Optional<String> pinHash) {

    public LoginState {
        claims = Map.copyOf(claims);
    }

    public Optional<Claim> claim(Identity identity) {
        return Optional.ofNullable(claims.get(identity.profileKey()));
    }
}
