package io.userhub.shared.port;

import io.userhub.shared.model.Identity;
import io.userhub.shared.model.LoginState;
import io.userhub.shared.model.Profile;

import java.util.List;
import java.util.Optional;

/** Reads of claims and profiles, as a dry run of the resolution rules makes them (it writes nothing). */
public interface ProfileReads {
    LoginState readClaims(String domainId, List<Identity> identities);

    Optional<Profile> findProfile(String domainId, String userId, boolean consistent);
}
