package io.userhub.functions.session;

import io.userhub.shared.model.Session;
import io.userhub.shared.port.Sessions;
import io.userhub.shared.store.SessionStore;
import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.testkit.SessionsContract;
import io.userhub.testkit.TestSessions;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

/** SessionStore on DynamoDB Local keeps the contract the in-memory sessions keep (InMemorySessionsTest). */
@ExtendWith(DynamoDbLocalExtension.class)
class SessionStoreIT extends SessionsContract {
    private SessionStore sessions;

    @Override
    protected Sessions sessions() {
        if (sessions == null) {
            sessions = new SessionStore(DynamoDbLocalExtension.client(List.of()), DynamoDbLocalExtension.tables().sessions());
        }
        return sessions;
    }

    @Override
    protected String stored(Session session) {
        sessions();
        return TestSessions.store(sessions, session);
    }
}
