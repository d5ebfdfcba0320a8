package io.userhub.functions.users;

import io.userhub.functions.UseCases;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.http.ApiHandler;
import io.userhub.shared.http.HttpRequest;
import io.userhub.shared.json.Json;
import io.userhub.shared.http.Responses;
import io.userhub.shared.model.AppConfig;

/** {@code POST /v1/apps/{appId}/users/{userId}/logout}: end every session of a person (e.g. after a password change). */
public final class EndUserSessionsHandler extends ApiHandler {
    private final UserRoutes routes;
    private final UserAdminUseCase users;

    public EndUserSessionsHandler() {
        this(Wiring.lambda());
    }

    public EndUserSessionsHandler(Wiring wiring) {
        this.routes = new UserRoutes(wiring);
        this.users = UseCases.of(wiring).userAdmin();
    }

    @Override
    protected String failureFamily() {
        return "USER_LOGOUT_FAILED";
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
        AppConfig app = routes.authenticate(request);
        String userId = request.pathParameter("userId");
        return Responses.ok(Json.object().put("user_id", userId).put("sessions_ended", users.endSessions(app, userId)));
    }
}
