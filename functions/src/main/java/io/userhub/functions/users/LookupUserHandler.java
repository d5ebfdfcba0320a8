package io.userhub.functions.users;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.http.ApiHandler;
import io.userhub.shared.http.HttpRequest;
import io.userhub.shared.http.Responses;
import io.userhub.shared.model.AppConfig;

/** {@code GET /v1/apps/{appId}/users?identifier=email&value=...}: a profile by any of its identities. */
public final class LookupUserHandler extends ApiHandler {
    private final UserRoutes routes;
    private final UserAdminUseCase users;

    public LookupUserHandler() {
        this(Wiring.lambda());
    }

    public LookupUserHandler(Wiring wiring) {
        this.routes = new UserRoutes(wiring);
        this.users = new UserAdminUseCase(wiring);
    }

    @Override
    protected String failureFamily() {
        return "USER_LOOKUP_FAILED";
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
        AppConfig app = routes.authenticate(request);
        String userId = users.resolve(app, request.queryParameters().get("identifier"), request.queryParameters().get("value"));
        return Responses.ok(users.lookup(app, userId));
    }
}
