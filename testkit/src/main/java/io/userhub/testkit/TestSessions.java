package io.userhub.testkit;

import io.userhub.shared.model.DeviceState;
import io.userhub.shared.model.Session;
import io.userhub.shared.session.SessionTokens;
import io.userhub.shared.store.SessionStore;

/** Sessions stored the way a login stores them, for tests that need many or odd ones without logging in. */
public final class TestSessions {
    private TestSessions() {}

    /** Puts the session on its device's item (the device must have none yet) and returns its token. */
    public static String store(SessionStore sessions, Session session) {
        SessionTokens.Issued issued = SessionTokens.issue(session.appId(), session.deviceId());
        SessionStore.Install installed = sessions.installSessionNow(
                sessions.installSession(session, issued.key(), DeviceState.absent(), null, null, false), SessionStore.itemKey(issued.key()));
        if (!(installed instanceof SessionStore.Install.Installed)) {
            throw new IllegalStateException("device " + session.deviceId() + " of app " + session.appId() + " has a session already");
        }
        return issued.token();
    }
}
