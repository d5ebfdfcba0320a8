package io.userhub.shared.event;

import io.userhub.shared.identity.IdentityResolution.Conflict;
import io.userhub.shared.identity.IdentityResolution.Move;
import io.userhub.shared.identity.IdentityResolution.Plan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What a login or an identity addition did to identities: an event per move and per conflict, in that order. */
public final class IdentityEvents {
    private IdentityEvents() {}

    /** @param causeId the login's (or addition's) id, which the events carry so a feed can tie them together */
    public static List<DomainEvent> of(String appId, String domainId, Plan plan, Instant at, String causeId) {
        List<DomainEvent> events = new ArrayList<>();
        for (Move move : plan.moves()) {
            events.add(new DomainEvent.IdentityMoved(appId, domainId, at, causeId, events.size(), move.identity(),
                    move.from().userId(), plan.userId()));
        }
        for (Conflict conflict : plan.conflicts()) {
            events.add(new DomainEvent.IdentityConflict(appId, domainId, at, causeId, events.size(), conflict.identity(),
                    conflict.ownerUserId(), plan.userId()));
        }
        return events;
    }
}
