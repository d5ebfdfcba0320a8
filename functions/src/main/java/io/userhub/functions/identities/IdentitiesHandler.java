package io.userhub.functions.identities;

import io.userhub.functions.UseCases;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.http.ApiHandler;
import io.userhub.shared.http.HttpRequest;
import io.userhub.shared.http.IdentityJson;
import io.userhub.shared.json.Json;
import io.userhub.shared.http.Responses;
import io.userhub.shared.session.SessionAccess;
import io.userhub.shared.validation.ErrorCode;
import io.userhub.shared.validation.Problem;

/** {@code POST /v1/identities}: authenticate the session, add the token's identities, render. */
public final class IdentitiesHandler extends ApiHandler {
    private final SessionAccess sessions;
    private final java.util.Set<String> corsOrigins;
    private final AddIdentitiesUseCase identities;

    public IdentitiesHandler() {
        this(Wiring.lambda());
    }

    public IdentitiesHandler(Wiring wiring) {
        this.corsOrigins = wiring.corsAllowOrigins();
        this.sessions = wiring.sessionAccess();
        this.identities = UseCases.of(wiring).addIdentities();
    }

    @Override
    protected String failureFamily() {
        return "ADD_USER_IDENTITY_FAILED";
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
        SessionAccess.Authenticated auth = sessions.forUpdate(request.bearer().orElse(null));
        JsonNode token = request.jsonBody().get("identity_token");
        if (token == null || !token.isTextual() || token.asText().isEmpty()) {
            throw Problem.field("identity_token", token == null ? ErrorCode.MISSING : ErrorCode.INVALID_VALUE_TYPE).reject();
        }
        AddIdentitiesUseCase.Result result = identities.add(auth, token.asText());
        ObjectNode body = Json.object();
        if (result instanceof AddIdentitiesUseCase.Result.NotApplied notApplied) {
            body.put("applied", false).put("reason", notApplied.reason());
            return Responses.ok(body);
        }
        AddIdentitiesUseCase.Result.Applied applied = (AddIdentitiesUseCase.Result.Applied) result;
        body.put("applied", true);
        ObjectNode user = body.putObject("user").put("id", applied.userId());
        IdentityJson.write(user.putArray("identities"), applied.identities());
        body.set("added", Json.MAPPER.valueToTree(applied.added()));
        body.set("moved", Json.MAPPER.valueToTree(applied.moved()));
        body.set("not_moved", Json.MAPPER.valueToTree(applied.notMoved()));
        return Responses.ok(body);
    }

    @Override
    protected java.util.Optional<CorsScope> corsScope(HttpRequest request) {
        return java.util.Optional.of(io.userhub.shared.http.BrowserOrigins.ofSession(request, sessions, corsOrigins));
    }
}
