package io.userhub.functions.attributes;

import io.userhub.shared.model.AttributeChanges;
import io.userhub.shared.model.Session;
import io.userhub.shared.session.SessionAccess;
import io.userhub.shared.port.AttributeWriter;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;

import java.time.Clock;
import java.util.Map;

/** Applies a batch of global and app attribute updates to the session's user, in one write. */
public final class AttributesUseCase {
    private final AttributeWriter store;
    private final Clock clock;

    public AttributesUseCase(AttributeWriter store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Applies a batch the handler read (AttributeRules.read) to the session's user. */
    public void apply(SessionAccess.Authenticated auth, AttributeChanges changes) {
        Session session = auth.record().session();
        // Keys the app lets only its backend set (through a signed token) are not the client's to change.
        io.userhub.shared.validation.SignedAttributes.requireClientMayChange(changes, auth.app().settings().signedOnlyKeys());
        long now = clock.instant().getEpochSecond();
        // An anonymous user's activity pushes its expiry back; what it writes expires with it.
        Long anonymousExpiresAt = session.anonymous() ? now + auth.app().settings().anonymousInactivity().toSeconds() : null;
        if (!store.apply(session.domainId(), session.userId(), session.appId(), changes, now, anonymousExpiresAt)) {
            throw Problem.withDetails(Reason.SESSION_INVALID, Map.of("problem", "USER_ERASED")).reject();
        }
    }
}
