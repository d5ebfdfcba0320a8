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
import io.userhub.shared.model.Session;
import io.userhub.shared.model.SessionRecord;

import java.time.Clock;
import java.util.Locale;

/**
 * {@code GET /v1/apps/{appId}/users/{userId}/export}: everything userhub holds about a person, as
 * one JSON document (a GDPR access request): the profile, its identities with their history, the
 * person's data in every app of the domain, the sessions still kept, without tokens, and the
 * audit records about the person.
 */
public final class ExportUserHandler extends ApiHandler {
    private final UserRoutes routes;
    private final UserAdminUseCase users;
    private final Clock clock;

    public ExportUserHandler() {
        this(Wiring.lambda());
    }

    public ExportUserHandler(Wiring wiring) {
        this.routes = new UserRoutes(wiring);
        this.users = UseCases.of(wiring).userAdmin();
        this.clock = wiring.clock();
    }

    @Override
    protected String failureFamily() {
        return "USER_EXPORT_FAILED";
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
        AppConfig app = routes.authenticate(request);
        return Responses.ok(render(users.export(app, request.pathParameter("userId")), clock));
    }

    public static ObjectNode render(UserAdminUseCase.UserExport export, Clock clock) {
        ObjectNode body = Json.object();
        body.put("exported_at", clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        LookupUserHandler.renderUser(body.putObject("user"), export.user(), export.lastLoginAt());
        ObjectNode apps = body.putObject("apps");
        export.apps().forEach((appId, data) -> {
            ObjectNode node = apps.putObject(appId);
            node.set("attributes", Json.MAPPER.valueToTree(data.attributes()));
            node.set("custom_user_fields", Json.MAPPER.valueToTree(data.customFields()));
        });
        ArrayNode sessions = body.putArray("sessions");
        for (SessionRecord record : export.sessions()) {
            Session session = record.session();
            ObjectNode node = sessions.addObject().put("session_id", session.sessionId())
                    .put("app_id", session.appId()).put("device_id", session.deviceId())
                    .put("anonymous", session.anonymous())
                    .put("state", record.state().name().toLowerCase(Locale.ROOT));
            LookupUserHandler.putEpoch(node, "created_at", session.createdAt() == null ? null : session.createdAt().getEpochSecond());
            node.put("expires_at", session.expiresAt().toString());
            node.put("refresh_at", session.refreshAt().toString());
            ArrayNode notices = node.putArray("notices");
            record.notices().forEach(n -> notices.addObject().put("type", n.type()).put("event_id", n.eventId()).put("at", n.at().toString()));
        }
        io.userhub.functions.audit.AuditHandler.renderRecords(body.putArray("audit"), export.audit());
        return body;
    }
}
