package io.userhub.functions.login;

import io.userhub.shared.model.Identity;
import io.userhub.shared.token.SunshineRelaxation;

import java.util.List;
import java.util.Map;

/** What a login asks for once its credentials have been checked, whatever the mode. */
sealed interface LoginIntent {

    /** An empty token (or full privacy without a uid): the device's anonymous user. */
    record Anonymous() implements LoginIntent {}

    /**
     * @param signed       whether a signed token vouches for the identities: only then may a non-uid identity move
     * @param jti          the token's jti, consumed in the login's transaction; null when absent
     * @param pinUserId    the user id whose security hash is checked (user id mode), else null
     * @param pinHash      SHA-256 of the security hash sent, else null
     * @param fields       profile fields of user id mode (email, name, phone, company)
     * @param fullPrivacy  the login's full privacy flag, kept on the session for later identity additions
     * @param kid          the key that verified the login's token (its day of use is noted once the login succeeds), else null
     * @param relaxations  what the app's Sunshine compatibility admitted that the strict rules refuse (named in the audit record)
     * @param unverified   identities the token says are unverified: kept on the profile, never claimed, moved or used to resolve
     * @param signedAttributes profile attributes the token carries (the backend vouches for them), else null
     */
    record Identified(List<Identity> identities, long assertedAt, boolean signed, String jti, long jtiExpiresAt,
                      String pinUserId, String pinHash, Map<String, String> fields, String displayName,
                      boolean fullPrivacy, String kid, List<SunshineRelaxation> relaxations, List<Identity> unverified,
                      io.userhub.shared.model.AttributeChanges signedAttributes) implements LoginIntent {
        public Identified {
            identities = List.copyOf(identities);
            fields = Map.copyOf(fields);
            relaxations = List.copyOf(relaxations);
            unverified = List.copyOf(unverified);
        }

        Identified(List<Identity> identities, long assertedAt, boolean signed, String jti, long jtiExpiresAt,
                   String pinUserId, String pinHash, Map<String, String> fields, String displayName,
                   boolean fullPrivacy, String kid) {
            this(identities, assertedAt, signed, jti, jtiExpiresAt, pinUserId, pinHash, fields, displayName, fullPrivacy, kid, List.of(),
                    List.of(), null);
        }

        Identified(List<Identity> identities, long assertedAt, boolean signed, String jti, long jtiExpiresAt,
                   String pinUserId, String pinHash, Map<String, String> fields, String displayName,
                   boolean fullPrivacy, String kid, List<SunshineRelaxation> relaxations) {
            this(identities, assertedAt, signed, jti, jtiExpiresAt, pinUserId, pinHash, fields, displayName, fullPrivacy, kid, relaxations,
                    List.of(), null);
        }
    }
}
