package io.userhub.shared.token;

import io.userhub.shared.model.Identity;

import java.util.List;
import java.util.Optional;

/**
 * What a verified token asserts about a person: validated identities (those the backend vouches
 * for; the ones it says are unverified apart, in {@code unverified}), when it was issued, and the
 * jti that makes it single-use when present.
 */
public record IdentityAssertion(List<Identity> identities, long issuedAt, Long expiresAt, String jti, String kid,
                                List<SunshineRelaxation> relaxations, List<Identity> unverified,
                                io.userhub.shared.model.AttributeChanges signedAttributes) {

    public IdentityAssertion(List<Identity> identities, long issuedAt, Long expiresAt, String jti, String kid,
                             List<SunshineRelaxation> relaxations, List<Identity> unverified) {
        this(identities, issuedAt, expiresAt, jti, kid, relaxations, unverified, null);
    }

    public IdentityAssertion {
        identities = List.copyOf(identities);
        relaxations = List.copyOf(relaxations);
        unverified = List.copyOf(unverified);
    }

    public IdentityAssertion(List<Identity> identities, long issuedAt, Long expiresAt, String jti, String kid) {
        this(identities, issuedAt, expiresAt, jti, kid, List.of(), List.of());
    }

    public IdentityAssertion(List<Identity> identities, long issuedAt, Long expiresAt, String jti, String kid,
                             List<SunshineRelaxation> relaxations) {
        this(identities, issuedAt, expiresAt, jti, kid, relaxations, List.of());
    }

    /**
     * Until when the jti must be remembered: as long as the token could still be accepted (its
     * exp, or iat plus the app's max age, whichever is later, plus the clock skew).
     */
    public long jtiExpiresAt(io.userhub.shared.model.AppSettings settings) {
        long byAge = issuedAt + settings.identityTokenMaxAge().toSeconds();
        return (expiresAt != null ? Math.max(expiresAt, byAge) : byAge) + settings.clockSkew().toSeconds();
    }

    public Optional<Identity> uid() {
        return identities.stream().filter(Identity::isUid).findFirst();
    }

    public List<Identity> emails() {
        return identities.stream().filter(Identity::isEmail).toList();
    }
}
