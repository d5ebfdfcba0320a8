package io.userhub.testkit;

import io.userhub.shared.model.Session;
import io.userhub.shared.port.Sessions;

/** The in-memory sessions keep the contract SessionStore keeps (SessionStoreIT). */
class InMemorySessionsTest extends SessionsContract {
    private final InMemorySessions sessions = new InMemorySessions();

    @Override
    protected Sessions sessions() {
        return sessions;
    }

    @Override
    protected String stored(Session session) {
        return sessions.store(session);
    }
}
