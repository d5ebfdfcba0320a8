package io.userhub.functions.attributes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.model.Session;
import io.userhub.shared.session.SessionAccess;
import io.userhub.shared.store.AttributeStore;
import io.userhub.shared.validation.AttributeRules;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;

import java.time.Clock;
import java.util.Map;

/** Applies a batch of global and app attribute updates to the session's user, in one write. */
public final class AttributesUseCase {
    private final AttributeStore store;
    private final Clock clock;

    public AttributesUseCase(Wiring wiring) {
        this.store = new AttributeStore(wiring.dynamo(), wiring.tables().users());
        this.clock = wiring.clock();
    }

    public AttributeRules.Batch apply(SessionAccess.Authenticated auth, ObjectNode body) {
        AttributeRules.Batch batch = AttributeRules.read(body, auth.app().settings().customFieldSchema());
        Session session = auth.record().session();
        if (!store.apply(session.domainId(), session.userId(), session.appId(), batch.changes(), clock.instant().getEpochSecond())) {
            throw Problem.withDetails(Reason.SESSION_INVALID, Map.of("problem", "USER_ERASED")).reject();
        }
        return batch;
    }
}
