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
import io.userhub.shared.validation.Reason;

import java.util.List;
import java.util.Locale;

/** {@code POST /v1/apps/{appId}/users/import} (text/csv): upsert users, a result per row. */
public final class ImportUsersHandler extends ApiHandler {
    private final UserRoutes routes;
    private final ImportUsersUseCase imports;

    public ImportUsersHandler() {
        this(Wiring.lambda());
    }

    public ImportUsersHandler(Wiring wiring) {
        this.routes = new UserRoutes(wiring);
        this.imports = UseCases.of(wiring).importUsers();
    }

    @Override
    protected String failureFamily() {
        return "USER_IMPORT_FAILED";
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
        AppConfig app = routes.authenticate(request);
        String csv = request.textBody("text/csv", ImportUsersUseCase.MAX_BYTES, Reason.IMPORT_TOO_LARGE);
        List<ImportUsersUseCase.RowResult> results = imports.importCsv(app, csv);
        ObjectNode body = Json.object();
        ObjectNode summary = body.putObject("summary").put("rows", results.size());
        for (ImportUsersUseCase.Status status : ImportUsersUseCase.Status.values()) {
            summary.put(status.name().toLowerCase(Locale.ROOT), results.stream().filter(r -> r.status() == status).count());
        }
        summary.put("previously_erased", results.stream().filter(r -> r.previouslyErasedAt() != null).count());
        ArrayNode rows = body.putArray("results");
        for (ImportUsersUseCase.RowResult result : results) {
            ObjectNode row = rows.addObject().put("line", result.line()).put("user_id", result.userIdValue())
                    .put("status", result.status().name().toLowerCase(Locale.ROOT));
            if (result.id() != null) row.put("id", result.id());
            if (result.reason() != null) row.put("reason", result.reason());
            if (!result.errors().isEmpty()) row.set("errors", Json.MAPPER.valueToTree(result.errors()));
            if (result.previouslyErasedAt() != null) {
                row.put("previously_erased_at", java.time.Instant.ofEpochSecond(result.previouslyErasedAt()).toString());
            }
        }
        return Responses.ok(body);
    }
}
