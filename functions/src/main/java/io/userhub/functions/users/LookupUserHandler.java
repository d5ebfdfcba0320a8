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
import io.userhub.shared.model.UserDetails;

import java.time.Instant;
import java.util.Locale;

/** {@code GET /v1/apps/{appId}/users?identifier=email&value=...}: a profile by any of its identities. */
public final class LookupUserHandler extends ApiHandler {
    private final UserRoutes routes;
    private final UserAdminUseCase users;

    public LookupUserHandler() {
        this(Wiring.lambda());
    }

    public LookupUserHandler(Wiring wiring) {
        this.routes = new UserRoutes(wiring);
        this.users = UseCases.of(wiring).userAdmin();
    }

    @Override
    protected String failureFamily() {
        return "USER_LOOKUP_FAILED";
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
        AppConfig app = routes.authenticate(request);
        String userId = users.resolve(app, request.queryParameters().get("identifier"), request.queryParameters().get("value"));
        return Responses.ok(render(users.lookup(app, userId)));
    }

    static ObjectNode render(UserAdminUseCase.UserLookup lookup) {
        ObjectNode body = Json.object();
        renderUser(body.putObject("user"), lookup.user(), lookup.lastLoginAt());
        ObjectNode appData = body.putObject("app");
        appData.set("attributes", Json.MAPPER.valueToTree(lookup.app().attributes()));
        appData.set("custom_user_fields", Json.MAPPER.valueToTree(lookup.app().customFields()));

        ArrayNode active = body.putArray("sessions");
        for (Session session : lookup.sessions()) {
            ObjectNode node = active.addObject().put("session_id", session.sessionId())
                    .put("app_id", session.appId()).put("device_id", session.deviceId())
                    .put("state", lookup.states().get(session.sessionId()).name().toLowerCase(Locale.ROOT));
            putEpoch(node, "created_at", session.createdAt() == null ? null : session.createdAt().getEpochSecond());
            node.put("expires_at", session.expiresAt().toString());
            node.put("refresh_at", session.refreshAt().toString());
        }
        return body;
    }

    /** The profile as the lookup and the export show it. */
    static void renderUser(ObjectNode user, UserDetails details, Long lastLoginAt) {
        user.put("id", details.userId());
        user.put("anonymous", details.anonymous());
        user.put("display_name", details.displayName());
        putEpoch(user, "created_at", details.createdAt());
        putEpoch(user, "last_login_at", lastLoginAt);
        if (details.mergedInto() != null) {
            user.put("merged_into", details.mergedInto());
        }
        ArrayNode identities = user.putArray("identities");
        java.util.Set<String> claimed = new java.util.HashSet<>();
        details.identities().forEach(i -> {
            claimed.add(i.identity().profileKey());
            identity(identities, i, true);
        });
        // What a token said is unverified: shown, never claimed (and shown once, verified, when also claimed).
        details.unverifiedIdentities().stream().filter(i -> !claimed.contains(i.identity().profileKey()))
                .forEach(i -> identity(identities, i, false));
        ArrayNode history = user.putArray("identity_history");
        details.history().forEach(h -> history.addObject().put("action", h.action()).put("identifier", h.identifier())
                .put("value", h.value()).put("other_user_id", h.otherUserId()).put("at", Instant.ofEpochSecond(h.at()).toString()));
        user.set("global", Json.MAPPER.valueToTree(details.global()));
        user.set("custom_user_fields", Json.MAPPER.valueToTree(details.customFields()));
        user.set("tags", Json.MAPPER.valueToTree(details.tags()));
        user.set("fields", Json.MAPPER.valueToTree(details.fields()));
    }

    private static void identity(ArrayNode identities, io.userhub.shared.model.StoredIdentity i, boolean verified) {
        ObjectNode node = identities.addObject().put("identifier", i.identifier()).put("value", i.value());
        node.set("metadata", Json.MAPPER.valueToTree(i.metadata()));
        node.put("asserted_at", Instant.ofEpochSecond(i.assertedAt()).toString());
        node.put("verified", verified);
    }

    static void putEpoch(ObjectNode node, String field, Long epochSeconds) {
        if (epochSeconds != null) {
            node.put(field, Instant.ofEpochSecond(epochSeconds).toString());
        }
    }
}
