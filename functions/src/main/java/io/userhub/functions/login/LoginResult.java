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
     * Whether the login proved who the user is. An unproven one (a user-id login without HMAC, or
     * unsigned identities under staged enforcement) lands in the unverified namespace, apart from
     * every signed or imported profile; the caller is told so, and the audit record also says
     * whether a verified profile has that user id, which the login did not reach (the person is
     * split in two until it does).
     *
     * @param unverifiedReason USER_ID_NOT_VERIFIED or UNSIGNED_IDENTITIES when not verified, else null
     */
    record Verification(boolean verified, String unverifiedReason, boolean verifiedProfileExists) {
        public static final Verification VERIFIED = new Verification(true, null, false);
    }

    /**
     * @param verification       null for an anonymous user
     * @param signedAttributesRefused why the token's signed attributes were not written (the login stands), else null
     * @param identitiesNotMoved identities the token asserted that stay with another profile,
     *                           because that profile's claim is newer than this token
     * @param countedUnverified  an unsigned login accepted while the app rolls signing out (verification optional):
     *                           counted in the UnverifiedLogins metric
     */
    record Success(String sessionToken, Session session, UserView user, List<String> identitiesNotMoved,
                   boolean countedUnverified, Verification verification, String signedAttributesRefused) implements LoginResult {
        public Success(String sessionToken, Session session, UserView user, List<String> identitiesNotMoved) {
            this(sessionToken, session, user, identitiesNotMoved, false, null, null);
        }
    }

    record Failure(Problem problem) implements LoginResult {}
}
