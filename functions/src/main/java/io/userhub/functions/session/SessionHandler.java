package io.userhub.functions.session;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.http.ApiHandler;
import io.userhub.shared.http.HttpRequest;
import io.userhub.shared.http.IdentityJson;
import io.userhub.shared.json.Json;
import io.userhub.shared.http.Responses;
import io.userhub.shared.model.Profile;
import io.userhub.shared.model.Session;
import io.userhub.shared.model.SessionRecord;
import io.userhub.shared.model.StoredIdentity;
import io.userhub.shared.session.SessionAccess;
import io.userhub.shared.port.ProfileReads;

import java.time.Clock;
import java.time.Instant;

/** {@code GET /v1/session}: state, expiry, refresh time, the user and pending notices. */
public final class SessionHandler extends ApiHandler {
    private final SessionAccess access;
    private final java.util.Set<String> corsOrigins;
    private final ProfileReads profiles;
    private final Clock clock;

    public SessionHandler() {
        this(Wiring.lambda());
    }

    public SessionHandler(Wiring wiring) {
        this.corsOrigins = wiring.corsAllowOrigins();
        this.access = wiring.sessionAccess();
        this.profiles = io.userhub.functions.UseCases.of(wiring).profileReads();
        this.clock = wiring.clock();
    }

    @Override
    protected String failureFamily() {
        return "SESSION_FAILED";
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
        SessionAccess.Authenticated auth = access.forRead(request.bearer().orElse(null));
        Session session = auth.record().session();
        Profile profile = profiles.findProfile(session.domainId(), session.userId(), true).orElse(null);
        return Responses.ok(render(auth.record(), profile, clock.instant()));
    }

    static ObjectNode render(SessionRecord record, Profile profile, Instant now) {
        Session session = record.session();
        ObjectNode body = Json.object();
        boolean refreshDue = record.state() == io.userhub.shared.model.SessionState.REFRESH_DUE || !now.isBefore(session.refreshAt());
        body.put("state", refreshDue ? "refresh_due" : "active");
        ObjectNode s = body.putObject("session");
        s.put("id", session.sessionId());
        s.put("device_id", session.deviceId());
        s.put("created_at", session.createdAt().toString());
        s.put("expires_at", session.expiresAt().toString());
        s.put("refresh_at", session.refreshAt().toString());
        ObjectNode user = body.putObject("user");
        user.put("id", session.userId());
        user.put("anonymous", session.anonymous());
        user.put("display_name", profile == null ? null : profile.displayName());
        IdentityJson.write(user.putArray("identities"),
                profile == null ? java.util.List.of() : profile.identities().stream().map(StoredIdentity::identity).toList());
        ArrayNode notices = body.putArray("notices");
        for (SessionRecord.Notice notice : record.notices()) {
            notices.addObject().put("type", notice.type()).put("event_id", notice.eventId()).put("at", notice.at().toString());
        }
        return body;
    }

    @Override
    protected java.util.Optional<CorsScope> corsScope(HttpRequest request) {
        return java.util.Optional.of(io.userhub.shared.http.BrowserOrigins.ofSession(request, access, corsOrigins));
    }
}
