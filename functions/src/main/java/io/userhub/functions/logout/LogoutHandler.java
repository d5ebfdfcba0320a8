package io.userhub.functions.logout;

import io.userhub.functions.UseCases;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.http.ApiHandler;
import io.userhub.shared.http.HttpRequest;
import io.userhub.shared.json.Json;
import io.userhub.shared.http.Responses;
import io.userhub.shared.session.SessionAccess;

/** {@code POST /v1/logout}: ends the session of the bearer token ({@link LogoutUseCase}). */
public final class LogoutHandler extends ApiHandler {
    private final SessionAccess access;
    private final LogoutUseCase logout;
    private final java.util.Set<String> corsOrigins;

    public LogoutHandler() {
        this(Wiring.lambda());
    }

    public LogoutHandler(Wiring wiring) {
        this.corsOrigins = wiring.corsAllowOrigins();
        this.access = wiring.sessionAccess();
        this.logout = UseCases.of(wiring).logout();
    }

    @Override
    protected String failureFamily() {
        return "LOGOUT_FAILED";
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
        logout.logout(request.bearer().orElse(null));
        return Responses.ok(Json.object().put("logged_out", true));
    }

    @Override
    protected java.util.Optional<CorsScope> corsScope(HttpRequest request) {
        return java.util.Optional.of(io.userhub.shared.http.BrowserOrigins.ofSession(request, access, corsOrigins));
    }
}
