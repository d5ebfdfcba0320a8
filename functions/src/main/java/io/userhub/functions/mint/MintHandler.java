package io.userhub.functions.mint;

import io.userhub.functions.UseCases;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.http.ApiHandler;
import io.userhub.shared.http.HttpRequest;
import io.userhub.shared.json.Json;
import io.userhub.shared.http.Responses;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.token.ServerCredentials;

import java.time.Clock;
import java.time.Instant;

/** {@code POST /v1/apps/{appId}/tokens}: authenticate the backend, mint, render. */
public final class MintHandler extends ApiHandler {
    private final MintUseCase mint;
    private final Clock clock;

    public MintHandler() {
        this(Wiring.lambda());
    }

    public MintHandler(Wiring wiring) {
        this.mint = UseCases.of(wiring).mint();
        this.clock = wiring.clock();
    }

    @Override
    protected String failureFamily() {
        return "TOKEN_MINT_FAILED";
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
        AppConfig app = mint.app(request.pathParameter("appId"));
        ServerCredentials.authenticate(request.bearer().orElse(null), app, Instant.now(clock));
        MintUseCase.MintedToken minted = mint.mint(app, MintRequests.parse(request.jsonBody(), app));
        ObjectNode response = Json.object();
        response.put("token", minted.token());
        response.put("type", minted.type());
        response.put("kid", minted.kid());
        response.put("iat", minted.issuedAt());
        if (minted.expiresAt() != null) {
            response.put("exp", minted.expiresAt());
        }
        if (minted.jti() != null) {
            response.put("jti", minted.jti());
        }
        return Responses.ok(response);
    }
}
