package io.userhub.functions.support;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.testkit.ApiEvents;
import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.testkit.MutableClock;
import io.userhub.testkit.RoundTripRecorder;
import io.userhub.testkit.TestApps;
import io.userhub.testkit.TestTokens;
import io.userhub.functions.attributes.AttributesHandler;
import io.userhub.functions.identities.IdentitiesHandler;
import io.userhub.functions.login.LoginHandler;
import io.userhub.functions.logout.LogoutHandler;
import io.userhub.functions.session.SessionHandler;
import io.userhub.functions.mint.MintHandler;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.json.Json;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.store.AppStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A test's view of userhub: handlers wired to DynamoDB Local with a hand-moved clock and a
 * round-trip recorder, one fresh app, and helpers to sign tokens and call routes.
 */
public final class Harness {
    public static final Instant START = MutableClock.TEST_START;

    public final MutableClock clock;
    public final RoundTripRecorder recorder = new RoundTripRecorder();
    public final Wiring wiring;
    /** Every domain event the handlers published, in order. */
    public final List<io.userhub.shared.event.DomainEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    public final AppStore appStore;
    public final LoginHandler loginHandler;
    public final MintHandler mintHandler;
    public final IdentitiesHandler identitiesHandler;
    public final AttributesHandler attributesHandler;
    public final LogoutHandler logoutHandler;
    public final SessionHandler sessionHandler;
    public final io.userhub.functions.users.LookupUserHandler lookupHandler;
    public final io.userhub.functions.users.EraseUserHandler eraseHandler;
    public final io.userhub.functions.users.EndUserSessionsHandler endSessionsHandler;
    public final io.userhub.functions.users.ExportUserHandler exportHandler;
    public final io.userhub.functions.users.ImportUsersHandler importHandler;
    public final io.userhub.functions.audit.AuditHandler auditHandler;
    public final io.userhub.functions.rules.RulesDryRunHandler rulesDryRunHandler;
    public final io.userhub.functions.users.UnmergeHandler unmergeHandler;
    public final io.userhub.functions.session.RevokeSessionsHandler revokeSessionsHandler;
    public final TestApps.TestApp app;
    /** Where the webhook routes' resends and replays go. */
    public final RecordingDeliveryQueue webhookQueue = new RecordingDeliveryQueue();
    /** The webhook routes as the local server wires them: loopback endpoints allowed. */
    public final io.userhub.functions.webhooks.WebhooksHandler webhooksHandler;

    public record Response(int status, JsonNode body, Map<String, String> headers) {
        public String reason() {
            return body.path("reason").asText();
        }

        public String text(String pointer) {
            return body.at(pointer).asText();
        }
    }

    public Harness() {
        this(settings -> settings);
    }

    public Harness(UnaryOperator<AppSettings> settings) {
        this(false, settings, null);
    }

    public Harness(TestApps.TestApp app) {
        this(false, s -> s, app);
    }

    /** A harness on tables of its own: for notifier tests, which sweep whole indexes. */
    public static Harness isolated() {
        return new Harness(true, s -> s, null);
    }

    /** A harness whose handlers reach DynamoDB through the given wiring (a fault-injecting proxy), on the app of another harness. */
    public static Harness through(java.util.function.Function<java.time.Clock, Wiring> wiring, TestApps.TestApp app) {
        return new Harness(wiring, s -> s, app);
    }

    /** A harness with a fresh app of the given settings whose handlers reach DynamoDB through the given wiring. */
    public static Harness through(java.util.function.Function<java.time.Clock, Wiring> wiring, UnaryOperator<AppSettings> settings) {
        return new Harness(wiring, settings, null);
    }

    private Harness(boolean isolatedTables, UnaryOperator<AppSettings> settings, TestApps.TestApp existing) {
        this(clock -> null, settings, existing, isolatedTables);
    }

    private Harness(java.util.function.Function<java.time.Clock, Wiring> wiringFactory, UnaryOperator<AppSettings> settings, TestApps.TestApp existing) {
        this(wiringFactory, settings, existing, false);
    }

    private Harness(java.util.function.Function<java.time.Clock, Wiring> wiringFactory, UnaryOperator<AppSettings> settings,
                    TestApps.TestApp existing, boolean isolatedTables) {
        this.clock = MutableClock.at(START);
        Wiring given = wiringFactory.apply(clock);
        Wiring base = given != null ? given
                : isolatedTables ? DynamoDbLocalExtension.isolatedWiring(clock, recorder) : DynamoDbLocalExtension.wiring(clock, recorder);
        // A second subscriber beside the audit writer, as the webhooks will be: the use cases do not know it is there.
        this.wiring = base.withEvents(io.userhub.shared.event.EventSubscriber.all(List.of(base.events(), batch -> events.addAll(batch.events()))));
        this.appStore = new AppStore(wiring.dynamo(), wiring.tables().apps());
        this.loginHandler = new LoginHandler(wiring);
        this.mintHandler = new MintHandler(wiring);
        this.identitiesHandler = new IdentitiesHandler(wiring);
        this.attributesHandler = new AttributesHandler(wiring);
        this.logoutHandler = new LogoutHandler(wiring);
        this.sessionHandler = new SessionHandler(wiring);
        this.exportHandler = new io.userhub.functions.users.ExportUserHandler(wiring);
        this.lookupHandler = new io.userhub.functions.users.LookupUserHandler(wiring);
        this.eraseHandler = new io.userhub.functions.users.EraseUserHandler(wiring);
        this.endSessionsHandler = new io.userhub.functions.users.EndUserSessionsHandler(wiring);
        this.importHandler = new io.userhub.functions.users.ImportUsersHandler(wiring);
        this.auditHandler = new io.userhub.functions.audit.AuditHandler(wiring);
        this.rulesDryRunHandler = new io.userhub.functions.rules.RulesDryRunHandler(wiring);
        this.unmergeHandler = new io.userhub.functions.users.UnmergeHandler(wiring);
        this.revokeSessionsHandler = new io.userhub.functions.session.RevokeSessionsHandler(wiring);
        this.app = existing != null ? existing : TestApps.create(appStore, settings);
        this.webhooksHandler = new io.userhub.functions.webhooks.WebhooksHandler(wiring, webhookQueue, true);
    }

    /**
     * A webhook route of the app: {@code suffix} follows {@code /v1/apps/{app}/webhooks} ("", "/{id}",
     * "/{id}/secret", "/{id}/deliveries"); {@code body} may be null.
     */
    public Response webhooks(String method, String suffix, String body) {
        String[] parts = suffix.isEmpty() ? new String[0] : suffix.substring(1).split("/");
        String template = "/v1/apps/{appId}/webhooks" + (parts.length > 0 ? "/{endpointId}" : "")
                + (parts.length > 1 ? "/" + parts[1] : "");
        ApiEvents event = new ApiEvents(method, method + " " + template, "/v1/apps/" + app.appId() + "/webhooks" + suffix)
                .pathParameter("appId", app.appId()).bearer(app.apiKey());
        if (parts.length > 0) {
            event.pathParameter("endpointId", parts[0]);
        }
        if (body != null) {
            event.header("content-type", "application/json").body(body);
        }
        return call(webhooksHandler.handleRequest(event.build(), null));
    }

    /** An endpoint of the app on a loopback URL (nothing listens: for the routes and the outbox), wanting these types. */
    public String webhookEndpoint(String url, String... types) {
        com.fasterxml.jackson.databind.node.ObjectNode body = Json.object().put("url", url);
        var list = body.putArray("event_types");
        for (String type : types) {
            list.add(type);
        }
        Response created = webhooks("POST", "", Json.write(body));
        if (created.status() != 200) {
            throw new IllegalStateException("endpoint not created: " + created.body());
        }
        return created.text("/id");
    }

    public long now() {
        return clock.instant().getEpochSecond();
    }

    /** An identities token signed with the app's key, issued now. */
    public String identitiesToken(String... identifierValuePairs) {
        return TestTokens.hs256(app.kid(), app.secret(), TestTokens.identitiesPayload(now(), identifierValuePairs));
    }

    public String token(String payloadJson) {
        return TestTokens.hs256(app.kid(), app.secret(), payloadJson);
    }

    public Response login(String deviceId, String identityToken) {
        ObjectNode body = Json.object().put("identity_token", identityToken).put("device_id", deviceId);
        return login(body);
    }

    public Response login(ObjectNode body) {
        return call(loginHandler.handleRequest(ApiEvents.login(app.appId()).body(Json.write(body)).build(), null));
    }

    public Response login(ApiEvents event) {
        return call(loginHandler.handleRequest(event.build(), null));
    }

    public Response mint(ObjectNode body) {
        return call(mintHandler.handleRequest(ApiEvents.mint(app.appId()).bearer(app.apiKey()).body(Json.write(body)).build(), null));
    }

    /** Logs a user in on a device and returns the session token. */
    public String sessionFor(String deviceId, String... identifierValuePairs) {
        Response login = login(deviceId, identifierValuePairs.length == 0 ? "" : identitiesToken(identifierValuePairs));
        if (login.status() != 200) {
            throw new AssertionError("login failed: " + login.body());
        }
        return login.text("/session_token");
    }

    public Response addIdentities(String sessionToken, String identityToken) {
        ApiEvents event = ApiEvents.post("/v1/identities", "/v1/identities")
                .body(Json.write(Json.object().put("identity_token", identityToken)));
        if (sessionToken != null) event.bearer(sessionToken);
        return call(identitiesHandler.handleRequest(event.build(), null));
    }

    public Response attributes(String sessionToken, String bodyJson) {
        ApiEvents event = ApiEvents.post("/v1/attributes", "/v1/attributes").body(bodyJson);
        if (sessionToken != null) event.bearer(sessionToken);
        return call(attributesHandler.handleRequest(event.build(), null));
    }

    public Response logout(String sessionToken) {
        ApiEvents event = ApiEvents.post("/v1/logout", "/v1/logout");
        if (sessionToken != null) event.bearer(sessionToken);
        return call(logoutHandler.handleRequest(event.build(), null));
    }

    public Response session(String sessionToken) {
        ApiEvents event = ApiEvents.get("/v1/session", "/v1/session");
        if (sessionToken != null) event.bearer(sessionToken);
        return call(sessionHandler.handleRequest(event.build(), null));
    }

    public Response lookup(String identifier, String value) {
        return lookup(identifier, value, app.apiKey());
    }

    public Response lookup(String identifier, String value, String credential) {
        ApiEvents event = ApiEvents.get("/v1/apps/{appId}/users", "/v1/apps/" + app.appId() + "/users")
                .pathParameter("appId", app.appId());
        if (identifier != null) event.query("identifier", identifier);
        if (value != null) event.query("value", value);
        if (credential != null) event.bearer(credential);
        return call(lookupHandler.handleRequest(event.build(), null));
    }

    public Response erase(String userId) {
        return call(eraseHandler.handleRequest(new ApiEvents("DELETE", "DELETE /v1/apps/{appId}/users/{userId}",
                "/v1/apps/" + app.appId() + "/users/" + userId).pathParameter("appId", app.appId())
                .pathParameter("userId", userId).bearer(app.apiKey()).build(), null));
    }

    public Response export(String userId) {
        return export(userId, app.apiKey());
    }

    public Response export(String userId, String credential) {
        ApiEvents event = ApiEvents.get("/v1/apps/{appId}/users/{userId}/export", "/v1/apps/" + app.appId() + "/users/" + userId + "/export")
                .pathParameter("appId", app.appId()).pathParameter("userId", userId);
        if (credential != null) event.bearer(credential);
        return call(exportHandler.handleRequest(event.build(), null));
    }

    /** {@code GET /v1/apps/{app}/audit} with the query parameters given as name, value pairs. */
    public Response appAudit(String... query) {
        ApiEvents event = ApiEvents.get("/v1/apps/{appId}/audit", "/v1/apps/" + app.appId() + "/audit")
                .pathParameter("appId", app.appId()).bearer(app.apiKey());
        for (int i = 0; i + 1 < query.length; i += 2) {
            event.query(query[i], query[i + 1]);
        }
        return call(auditHandler.handleRequest(event.build(), null));
    }

    /** {@code GET /v1/apps/{app}/users/{user}/audit} with the query parameters given as name, value pairs. */
    public Response userAudit(String userId, String... query) {
        ApiEvents event = ApiEvents.get("/v1/apps/{appId}/users/{userId}/audit", "/v1/apps/" + app.appId() + "/users/" + userId + "/audit")
                .pathParameter("appId", app.appId()).pathParameter("userId", userId).bearer(app.apiKey());
        for (int i = 0; i + 1 < query.length; i += 2) {
            event.query(query[i], query[i + 1]);
        }
        return call(auditHandler.handleRequest(event.build(), null));
    }

    /** {@code POST /v1/apps/{app}/users/{user}/unmerge} of this merge id. */
    public Response unmerge(String userId, String mergeId) {
        return call(unmergeHandler.handleRequest(ApiEvents.post("/v1/apps/{appId}/users/{userId}/unmerge",
                "/v1/apps/" + app.appId() + "/users/" + userId + "/unmerge").pathParameter("appId", app.appId())
                .pathParameter("userId", userId).bearer(app.apiKey())
                .body(Json.write(Json.object().put("merge_id", mergeId))).build(), null));
    }

    /** {@code POST /v1/apps/{app}/sessions:revoke} with this body (null: none), authenticated with this credential. */
    public Response revokeSessions(String bodyJson, String credential) {
        ApiEvents event = ApiEvents.post("/v1/apps/{appId}/sessions:revoke", "/v1/apps/" + app.appId() + "/sessions:revoke")
                .pathParameter("appId", app.appId()).bearer(credential);
        if (bodyJson != null) {
            event.body(bodyJson);
        }
        return call(revokeSessionsHandler.handleRequest(event.build(), null));
    }

    /** {@code POST /v1/apps/{app}/rules:dry-run} with this body. */
    public Response rulesDryRun(String bodyJson) {
        return call(rulesDryRunHandler.handleRequest(ApiEvents.post("/v1/apps/{appId}/rules:dry-run",
                "/v1/apps/" + app.appId() + "/rules:dry-run").pathParameter("appId", app.appId()).bearer(app.apiKey())
                .body(bodyJson).build(), null));
    }

    /** Every item of this test's app or domain except its audit records: what a refused request must leave untouched. */
    public List<Map<String, AttributeValue>> storedItemsBesidesAudit() {
        return storedItems().stream().filter(item -> !item.get("pk").s().contains("#AUDIT#")).toList();
    }

    /** This test's app's audit records as stored, any kind. */
    public List<Map<String, AttributeValue>> auditItems() {
        return storedItems().stream().filter(item -> item.get("pk").s().contains("#AUDIT#")).toList();
    }

    public Response endSessions(String userId) {
        return call(endSessionsHandler.handleRequest(ApiEvents.post("/v1/apps/{appId}/users/{userId}/logout",
                "/v1/apps/" + app.appId() + "/users/" + userId + "/logout").pathParameter("appId", app.appId())
                .pathParameter("userId", userId).bearer(app.apiKey()).build(), null));
    }

    public Response importCsv(String csv) {
        return call(importHandler.handleRequest(ApiEvents.post("/v1/apps/{appId}/users/import",
                "/v1/apps/" + app.appId() + "/users/import").pathParameter("appId", app.appId())
                .header("content-type", "text/csv").bearer(app.apiKey()).body(csv).build(), null));
    }

    /** The profile item of a user of this test's domain. */
    public Map<String, AttributeValue> profileItem(String userId) {
        return wiring.dynamo().getItem(b -> b.tableName(wiring.tables().users()).consistentRead(true)
                .key(io.userhub.shared.store.ProfileItem.key(app.domainId(), userId))).item();
    }

    /** The user's item for this test's app (app attributes). */
    public Map<String, AttributeValue> appItem(String userId) {
        return wiring.dynamo().getItem(b -> b.tableName(wiring.tables().users()).consistentRead(true)
                .key(io.userhub.shared.store.Items.key(io.userhub.shared.store.Keys.userPartition(app.domainId(), userId),
                        io.userhub.shared.store.AppDataItem.sortKey(app.appId())))).item();
    }

    public Response invoke(APIGatewayV2HTTPEvent event, com.amazonaws.services.lambda.runtime.RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) {
        return call(handler.handleRequest(event, null));
    }

    public static Response call(APIGatewayV2HTTPResponse response) {
        // A request may leave a background write behind (a key's day of use, a minute's refusals); it belongs to that request's count.
        io.userhub.shared.config.BackgroundWrites.awaitAll();
        JsonNode body = Json.parseObject(response.getBody()).map(JsonNode.class::cast).orElse(Json.object());
        return new Response(response.getStatusCode(), body, response.getHeaders() == null ? Map.of() : response.getHeaders());
    }

    /** Every item of the users and sessions tables that belongs to this test's app or domain. */
    public List<Map<String, AttributeValue>> storedItems() {
        DynamoDbClient dynamo = DynamoDbLocalExtension.client(List.of());
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (String table : List.of(wiring.tables().users(), wiring.tables().sessions())) {
            dynamo.scanPaginator(ScanRequest.builder().tableName(table).consistentRead(true).build()).items().forEach(item -> {
                String pk = item.get("pk").s();
                if (pk.contains("#" + app.appId() + "#") || pk.contains("#" + app.domainId() + "#")) {
                    items.add(item);
                }
            });
        }
        return items;
    }
}
