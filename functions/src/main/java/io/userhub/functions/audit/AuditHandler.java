package io.userhub.functions.audit;

import io.userhub.functions.UseCases;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.audit.AuditRecord;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.http.ApiHandler;
import io.userhub.shared.http.HttpRequest;
import io.userhub.shared.json.Json;
import io.userhub.shared.http.Responses;
import io.userhub.shared.model.AppConfig;
import io.userhub.functions.users.UserRoutes;

import java.util.List;

/**
 * {@code GET /v1/apps/{appId}/audit?since=&kind=&limit=&cursor=} (the app's records) and
 * {@code GET /v1/apps/{appId}/users/{userId}/audit} (a person's, in every app of the domain):
 * pages of audit records, oldest first, with an opaque {@code next_cursor}.
 */
public final class AuditHandler extends ApiHandler {
    private final UserRoutes routes;
    private final AuditUseCase audit;

    public AuditHandler() {
        this(Wiring.lambda());
    }

    public AuditHandler(Wiring wiring) {
        this.routes = new UserRoutes(wiring);
        this.audit = UseCases.of(wiring).audit();
    }

    @Override
    protected String failureFamily() {
        return "AUDIT_READ_FAILED";
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
        AppConfig app = routes.authenticate(request);
        AuditUseCase.PageRequest page = audit.pageRequest(request.queryParameters());
        return Responses.ok(render(request.optionalPathParameter("userId")
                .map(userId -> audit.userRecords(app, userId, page))
                .orElseGet(() -> audit.appRecords(app, page))));
    }

    static ObjectNode render(io.userhub.shared.port.AuditQueries.Page page) {
        ObjectNode body = Json.object();
        renderRecords(body.putArray("records"), page.records());
        if (page.nextCursor().isPresent()) {
            body.put("next_cursor", page.nextCursor().get());
        } else {
            body.putNull("next_cursor");
        }
        return body;
    }

    /** Records as the audit routes and the export show them. */
    public static void renderRecords(ArrayNode into, List<AuditRecord> records) {
        for (AuditRecord record : records) {
            ObjectNode node = into.addObject().put("id", record.id()).put("kind", record.kind().wireName())
                    .put("at", record.at().toString()).put("app_id", record.appId());
            if (record.userId() != null) {
                node.put("user_id", record.userId());
            } else {
                node.putNull("user_id");
            }
            node.put("count", record.count());
            node.set("details", Json.MAPPER.valueToTree(new java.util.TreeMap<>(record.details())));
        }
    }
}
