package io.userhub.functions.login;

import io.userhub.functions.UseCases;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.config.SnapStartPriming;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.http.ApiHandler;
import io.userhub.shared.http.HttpRequest;
import io.userhub.shared.http.IdentityJson;
import io.userhub.shared.json.Json;
import io.userhub.shared.http.Responses;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.SigningKey;
import io.userhub.shared.token.TokenSigner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code POST /v1/apps/{appId}/login}: parse, log in, render. */
public final class LoginHandler extends ApiHandler {
    private final LoginUseCase login;
    private final io.userhub.shared.store.AppDirectory apps;
    private final java.util.Set<String> corsOrigins;

    public LoginHandler() {
        this(Wiring.lambda());
        SnapStartPriming.exercise(PRIMING);
    }

    /** The login's SnapStart exercise (its no-argument constructor registers it). */
    public static final SnapStartPriming.Exercise PRIMING = LoginHandler::prime;

    /**
     * Before the snapshot, against the function's own tables under the priming app: the priming
     * user's login on a new device (a transaction; the very first priming creates the user), the
     * same login again (the returning login's one UpdateItem), and an anonymous login on another
     * new device, each through {@code handleRequest}, so every class of those paths is loaded
     * when the function is restored. New devices each time, so that every priming walks the same
     * paths; their items expire as any device's do.
     */
    static List<Integer> prime(Wiring wiring, AppConfig app, SigningKey key) {
        LoginHandler handler = new LoginHandler(wiring);
        List<Integer> statuses = new ArrayList<>();
        String device = "snapstart-priming-" + io.userhub.shared.crypto.Hashing.randomId();
        for (int login = 0; login < 3; login++) {
            String token = login == 2 ? "" : TokenSigner.sign(key, Map.of("iat", wiring.clock().instant().getEpochSecond(),
                    "identities", List.of(Map.of("identifier", "uid", "value", "snapstart-priming"),
                            Map.of("identifier", "email", "value", "priming@example.invalid"))));
            String deviceId = login == 2 ? device + "-anonymous" : device;
            APIGatewayV2HTTPEvent event = requestEvent(app.appId(), token, deviceId, "snapstart-priming");
            statuses.add(handler.handleRequest(event, null).getStatusCode());
        }
        return statuses;
    }

    public LoginHandler(Wiring wiring) {
        this.apps = wiring.apps();
        this.corsOrigins = wiring.corsAllowOrigins();
        this.login = UseCases.of(wiring).login();
    }

    /** The API Gateway event of an identities-JWT login, as the priming and the cold-start probes send it. */
    public static APIGatewayV2HTTPEvent requestEvent(String appId, String identityToken, String deviceId, String requestId) {
        return APIGatewayV2HTTPEvent.builder()
                .withRouteKey("POST /v1/apps/{appId}/login")
                .withRawPath("/v1/apps/" + appId + "/login")
                .withHeaders(Map.of("content-type", "application/json"))
                .withPathParameters(Map.of("appId", appId))
                .withBody(Json.write(Json.object().put("identity_token", identityToken).put("device_id", deviceId)))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").build())
                        .withRequestId(requestId).build())
                .build();
    }

    @Override
    protected String failureFamily() {
        return "LOGIN_FAILED";
    }

    @Override
    protected java.util.Optional<CorsScope> corsScope(HttpRequest request) {
        return java.util.Optional.of(io.userhub.shared.http.BrowserOrigins.ofPath(request, apps, corsOrigins));
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
        LoginResult result = login.login(LoginRequests.parse(request), request.sourceIp());
        if (result instanceof LoginResult.Failure failure) {
            throw failure.problem().reject();
        }
        LoginResult.Success success = (LoginResult.Success) result;
        if (success.countedUnverified()) {
            io.userhub.shared.observability.RequestLog.unverifiedLogin(request.pathParameter("appId"));
        }
        return Responses.ok(render(success));
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
        LoginResult.Verification verification = success.verification();
        if (verification != null) {
            user.put("verified", verification.verified());
            if (!verification.verified()) {
                // Whether a verified profile has the user id stays in the audit trail: said to an
                // unauthenticated caller it would tell which user ids exist.
                user.put("unverified_reason", verification.unverifiedReason());
            }
        }
        if (success.signedAttributesRefused() != null) {
            body.putObject("signed_attributes").put("applied", false).put("reason", success.signedAttributesRefused());
        }
        if (!success.identitiesNotMoved().isEmpty()) {
            body.set("identities_not_moved", Json.MAPPER.valueToTree(success.identitiesNotMoved()));
        }
        return body;
    }
}
