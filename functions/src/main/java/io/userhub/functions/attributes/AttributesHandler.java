package io.userhub.functions.attributes;

import io.userhub.functions.UseCases;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.http.ApiHandler;
import io.userhub.shared.http.HttpRequest;
import io.userhub.shared.json.Json;
import io.userhub.shared.http.Responses;
import io.userhub.shared.session.SessionAccess;
import io.userhub.shared.validation.AttributeRules;
import io.userhub.shared.validation.Problem;

/** {@code POST /v1/attributes}: authenticate the session, apply the batch, report. */
public final class AttributesHandler extends ApiHandler {
    private final SessionAccess sessions;
    private final java.util.Set<String> corsOrigins;
    private final AttributesUseCase attributes;

    public AttributesHandler() {
        this(Wiring.lambda());
    }

    public AttributesHandler(Wiring wiring) {
        this.corsOrigins = wiring.corsAllowOrigins();
        this.sessions = wiring.sessionAccess();
        this.attributes = UseCases.of(wiring).attributes();
    }

    @Override
    protected String failureFamily() {
        return "UPDATE_GLOBAL_USER_DATA_FAILED";
    }

    @Override
    protected String failureFamily(Problem problem) {
        return AttributeRules.APP.equals(problem.details().get("type")) ? "UPDATE_APP_USER_DATA_FAILED" : failureFamily();
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
        SessionAccess.Authenticated auth = sessions.forUpdate(request.bearer().orElse(null));
        AttributeRules.Batch batch = AttributeRules.read(request.jsonBody(), auth.app().settings().customFieldSchema());
        attributes.apply(auth, batch.changes());
        ObjectNode body = Json.object();
        ObjectNode applied = body.putObject("applied");
        applied.set("global", Json.MAPPER.valueToTree(batch.appliedGlobal()));
        applied.set("app", Json.MAPPER.valueToTree(batch.appliedApp()));
        body.set("ignored", Json.MAPPER.valueToTree(batch.ignored()));
        body.set("rejected", Json.MAPPER.valueToTree(batch.rejected()));
        body.set("invalid_core_attributes", Json.MAPPER.valueToTree(batch.invalidCoreAttributes()));
        body.set("invalid_app_attributes", Json.MAPPER.valueToTree(batch.invalidAppAttributes()));
        // Helpshift Web Chat's names, kept as documented aliases.
        body.set("invalidCoreAttributes", Json.MAPPER.valueToTree(batch.invalidCoreAttributes()));
        body.set("invalidAppAttributes", Json.MAPPER.valueToTree(batch.invalidAppAttributes()));
        return Responses.ok(body);
    }

    @Override
    protected java.util.Optional<CorsScope> corsScope(HttpRequest request) {
        return java.util.Optional.of(io.userhub.shared.http.BrowserOrigins.ofSession(request, sessions, corsOrigins));
    }
}
