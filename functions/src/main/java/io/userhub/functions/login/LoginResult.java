package io.userhub.functions.login;

import io.userhub.shared.model.Identity;
import io.userhub.shared.model.Session;
import io.userhub.shared.validation.Problem;

import java.util.List;

/** The outcome of a login: a session for a user, or the problem that refused it. */
public sealed interface LoginResult {

    record UserView(String id, boolean anonymous, String displayName, List<Identity> identities) {
        public UserView {
            identities = List.copyOf(identities);
        }
    }

    /**
     * @param identitiesNotMoved identities the token asserted that stay with another profile,
     *                           because that profile's claim is newer than this token
     * @param countedUnverified  an unsigned login accepted while the app rolls signing out (verification optional):
     *                           counted in the UnverifiedLogins metric
     */
    record Success(String sessionToken, Session session, UserView user, List<String> identitiesNotMoved,
                   boolean countedUnverified) implements LoginResult {
        public Success(String sessionToken, Session session, UserView user, List<String> identitiesNotMoved) {
            this(sessionToken, session, user, identitiesNotMoved, false);
        }
    }

    record Failure(Problem problem) implements LoginResult {}
}
