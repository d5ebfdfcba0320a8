package io.userhub.functions.logout;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.http.ApiHandler;
import io.userhub.shared.http.HttpRequest;
import io.userhub.shared.http.Json;
import io.userhub.shared.http.Responses;
import io.userhub.shared.session.SessionAccess;
import io.userhub.shared.store.SessionStore;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;

import java.time.Clock;
import java.util.Map;

/**
 * {@code POST /v1/logout}: ends the session at once. Idempotent: a session already logged out
 * (or expired) logs out again with 200; a token userhub never issued is 401.
 */
public final class LogoutHandler extends ApiHandler {
    private final SessionAccess access;
    private final SessionStore sessions;
    private final Clock clock;

    public LogoutHandler() {
        this(Wiring.lambda());
    }

    public LogoutHandler(Wiring wiring) {
        this.sessions = new SessionStore(wiring.dynamo(), wiring.tables().sessions());
        this.access = new SessionAccess(wiring.apps(), sessions, wiring.clock());
        this.clock = wiring.clock();
    }

    @Override
    protected String failureFamily() {
        return "LOGOUT_FAILED";
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
        SessionAccess.Located located = access.locate(request);
        if (!sessions.markLoggedOut(located.key(), clock.instant())) {
            throw Problem.withDetails(Reason.SESSION_INVALID, Map.of("problem", "UNKNOWN_SESSION")).reject();
        }
        return Responses.ok(Json.object().put("logged_out", true));
    }
}
