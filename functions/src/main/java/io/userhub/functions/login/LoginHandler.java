package io.userhub.functions.login;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.http.ApiHandler;
import io.userhub.shared.http.HttpRequest;
import io.userhub.shared.http.IdentityJson;
import io.userhub.shared.http.Json;
import io.userhub.shared.http.Responses;

/** {@code POST /v1/apps/{appId}/login}: parse, log in, render. */
public final class LoginHandler extends ApiHandler {
    private final LoginUseCase login;

    public LoginHandler() {
        this(Wiring.lambda());
    }

    public LoginHandler(Wiring wiring) {
        this.login = new LoginUseCase(wiring);
    }

    @Override
    protected String failureFamily() {
        return "LOGIN_FAILED";
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
        LoginResult result = login.login(LoginRequests.parse(request));
        if (result instanceof LoginResult.Failure failure) {
            throw failure.problem().reject();
        }
        return Responses.ok(render((LoginResult.Success) result));
    }

    static ObjectNode render(LoginResult.Success success) {
        ObjectNode body = Json.object();
        body.put("session_token", success.sessionToken());
        ObjectNode session = body.putObject("session");
        session.put("id", success.session().sessionId());
        session.put("expires_at", success.session().expiresAt().toString());
        session.put("refresh_at", success.session().refreshAt().toString());
        ObjectNode user = body.putObject("user");
        user.put("id", success.user().id());
        user.put("anonymous", success.user().anonymous());
        user.put("display_name", success.user().displayName());
        IdentityJson.write(user.putArray("identities"), success.user().identities());
        if (!success.identitiesNotMoved().isEmpty()) {
            body.set("identities_not_moved", Json.MAPPER.valueToTree(success.identitiesNotMoved()));
        }
        return body;
    }
}
