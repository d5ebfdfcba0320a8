package io.userhub.functions.users;

import io.userhub.functions.UseCases;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.http.ApiHandler;
import io.userhub.shared.http.HttpRequest;
import io.userhub.shared.json.Json;
import io.userhub.shared.http.Responses;
import io.userhub.shared.model.AppConfig;

/** {@code DELETE /v1/apps/{appId}/users/{userId}}: erase a person and report what went. */
public final class EraseUserHandler extends ApiHandler {
    private final UserRoutes routes;
    private final UserAdminUseCase users;

    public EraseUserHandler() {
        this(Wiring.lambda());
    }

    public EraseUserHandler(Wiring wiring) {
        this.routes = new UserRoutes(wiring);
        this.users = UseCases.of(wiring).userAdmin();
    }

    @Override
    protected String failureFamily() {
        return "USER_ERASE_FAILED";
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
        AppConfig app = routes.authenticate(request);
        String userId = request.pathParameter("userId");
        ObjectNode body = Json.object().put("user_id", userId).put("erased", true);
        body.set("deleted", Json.MAPPER.valueToTree(users.erase(app, userId)));
        return Responses.ok(body);
    }
}
