package io.userhub.functions.users;

import io.userhub.functions.UseCases;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.http.ApiHandler;
import io.userhub.shared.http.HttpRequest;
import io.userhub.shared.json.Json;
import io.userhub.shared.http.Responses;
import io.userhub.shared.model.AppConfig;

/**
 * {@code POST /v1/apps/{appId}/users/{userId}/unmerge} with {@code {"merge_id": "..."}}: undoes the
 * identity moves and the anonymous merge of one login (or identity addition), named by the
 * {@code merge_id} of its audit records.
 */
public final class UnmergeHandler extends ApiHandler {
    private final UserRoutes routes;
    private final UnmergeUseCase unmerge;

    public UnmergeHandler() {
        this(Wiring.lambda());
    }

    public UnmergeHandler(Wiring wiring) {
        this.routes = new UserRoutes(wiring);
        this.unmerge = UseCases.of(wiring).unmerge();
    }

    @Override
    protected String failureFamily() {
        return "USER_UNMERGE_FAILED";
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
        AppConfig app = routes.authenticate(request);
        ObjectNode body = request.jsonBody();
        String mergeId = body.path("merge_id").isTextual() ? body.get("merge_id").asText() : body.has("merge_id") ? "" : null;
        return Responses.ok(render(unmerge.unmerge(app, request.pathParameter("userId"), mergeId)));
    }

    /** What an unmerge put back, as the route and the operator's unmerge show it. */
    public static ObjectNode render(UnmergeUseCase.Unmerged done) {
        ObjectNode answer = Json.object().put("merge_id", done.mergeId()).put("user_id", done.userId());
        ArrayNode restored = answer.putArray("restored_identities");
        done.restored().forEach(m -> restored.addObject().put("identifier", m.identity().identifier()).put("to_user_id", m.fromUserId()));
        if (done.restoredAnonymousUserId() != null) {
            answer.put("restored_anonymous_user_id", done.restoredAnonymousUserId());
        } else {
            answer.putNull("restored_anonymous_user_id");
        }
        answer.set("attributes_removed", Json.MAPPER.valueToTree(done.attributesRemoved()));
        answer.set("attributes_kept", Json.MAPPER.valueToTree(done.attributesKept()));
        return answer;
    }
}
