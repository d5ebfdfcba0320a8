package io.userhub.functions.session;

import io.userhub.functions.UseCases;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.functions.users.UserRoutes;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.http.ApiHandler;
import io.userhub.shared.http.HttpRequest;
import io.userhub.shared.json.Json;
import io.userhub.shared.http.Responses;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.validation.ErrorCode;
import io.userhub.shared.validation.Problem;

/**
 * {@code POST /v1/apps/{appId}/sessions:revoke} {@code {"issued_before"?: "<ISO-8601>"}}: ends every
 * session of the app issued before the instant (default now), for an incident.
 */
public final class RevokeSessionsHandler extends ApiHandler {
    private final UserRoutes routes;
    private final RevokeSessionsUseCase revocations;
    private final long appCacheSeconds;

    public RevokeSessionsHandler() {
        this(Wiring.lambda());
    }

    public RevokeSessionsHandler(Wiring wiring) {
        this.routes = new UserRoutes(wiring);
        this.revocations = UseCases.of(wiring).revokeSessions();
        this.appCacheSeconds = wiring.apps().lifetime().toSeconds();
    }

    @Override
    protected String failureFamily() {
        return "SESSIONS_REVOKE_FAILED";
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
        AppConfig app = routes.authenticate(request);
        JsonNode issuedBefore = request.body().length == 0 ? null : request.jsonBody().get("issued_before");
        if (issuedBefore != null && !issuedBefore.isNull() && !issuedBefore.isTextual()) {
            throw Problem.field("issued_before", ErrorCode.INVALID_VALUE_TYPE).reject();
        }
        RevokeSessionsUseCase.Revoked revoked = revocations.revoke(app,
                RevokeSessionsUseCase.parseInstant("issued_before", issuedBefore == null || issuedBefore.isNull() ? null : issuedBefore.asText()),
                "api");
        return Responses.ok(render(app, revoked, appCacheSeconds));
    }

    /** The answer of the route and of the operator's revoke-sessions. */
    public static com.fasterxml.jackson.databind.node.ObjectNode render(AppConfig app, RevokeSessionsUseCase.Revoked revoked,
                                                                        long appCacheSeconds) {
        return Json.object()
                .put("app_id", app.appId())
                .put("sessions_issued_before", revoked.issuedBefore().toString())
                .put("changed", revoked.moved())
                .put("effective_within_seconds", appCacheSeconds);
    }
}
