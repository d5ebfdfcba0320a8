package io.userhub.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.userhub.devkit.SamTemplate;
import io.userhub.shared.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/openapi.yaml against real answers: every route of template.yaml is in the document, and
 * a success and an error of every route, from the local server, validate against the schema the
 * document gives for that route and status (JSON Schema 2020-12, as OpenAPI 3.1 says).
 */
class OpenApiContractIT {
    private static final Path ROOT = SamTemplate.locatePath().getParent();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalUserhub userhub;
    private static JsonNode document;
    private final Set<String> checked = new LinkedHashSet<>();

    record Answer(int status, JsonNode body, String raw, java.net.http.HttpHeaders headers) {}

    @BeforeAll
    static void start() throws Exception {
        userhub = LocalUserhub.start(new LocalUserhub.Options(0, null, SamTemplate.locatePath(), Map.of()), line -> { });
        // Strict: a key written twice in one mapping is invalid YAML for other tools (Spectral, js-yaml).
        document = new ObjectMapper(new YAMLFactory()).enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .readTree(ROOT.resolve("docs/openapi.yaml").toFile());
    }

    @AfterAll
    static void stop() {
        userhub.close();
    }

    @Test
    void theServedDocumentIsTheRepositorysAndNamesEveryTemplateRoute() throws Exception {
        Answer served = send("GET", "/openapi.json", null, null, null);
        assertThat(served.body()).isEqualTo(document);
        assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
        for (SamTemplate.Function function : SamTemplate.locate().functions()) {
            for (SamTemplate.Route route : function.routes()) {
                if (!route.path().isEmpty()) {
                    assertThat(document.path("paths").path(route.path()).has(route.method().toLowerCase()))
                            .as(route.method() + " " + route.path()).isTrue();
                }
            }
        }
    }

    @Test
    void theErrorSchemaListsExactlyTheReasonsTheCodeHas() {
        Set<String> documented = new TreeSet<>();
        document.at("/components/schemas/Error/properties/reason/enum").forEach(r -> documented.add(r.asText()));
        Set<String> coded = new TreeSet<>();
        for (io.userhub.shared.validation.Reason reason : io.userhub.shared.validation.Reason.values()) {
            coded.add(reason.name());
        }
        assertThat(documented).isEqualTo(coded);
    }

    @Test
    void aSuccessAndAnErrorOfEveryRouteMatchTheDocument() throws Exception {
        String apiKey = userhub.demo().apiKey();
        // Webhooks: an endpoint on the local server's own inbox hears every outcome below; their bodies are checked at the end.
        String hooks = "/v1/apps/{appId}/webhooks";
        String inbox = userhub.url().toString().replaceAll("/$", "") + "/local/webhook-inbox";
        String endpointId = call("POST", hooks, "/v1/apps/demo/webhooks", Json.write(Map.of("url", inbox, "event_types",
                io.userhub.shared.webhook.WebhookEvents.TYPES)), apiKey, 200).body().path("id").asText();
        call("POST", hooks, "/v1/apps/demo/webhooks", "{\"url\":\"ftp://example.com/x\",\"event_types\":[\"user.created\"]}", apiKey, 400);
        call("GET", hooks, "/v1/apps/demo/webhooks", null, apiKey, 200);
        call("GET", hooks, "/v1/apps/demo/webhooks", null, null, 401);
        String hook = hooks + "/{endpointId}";
        call("GET", hook, "/v1/apps/demo/webhooks/" + endpointId, null, apiKey, 200);
        call("GET", hook, "/v1/apps/demo/webhooks/ep_000000000000000000000000", null, apiKey, 404);
        call("PATCH", hook, "/v1/apps/demo/webhooks/" + endpointId, "{\"description\":\"the contract's\"}", apiKey, 200);
        call("PATCH", hook, "/v1/apps/demo/webhooks/" + endpointId, "{\"event_types\":[]}", apiKey, 400);
        String login = "/v1/apps/{appId}/login";
        String tokens = "/v1/apps/{appId}/tokens";
        String token = call("POST", tokens, "/v1/apps/demo/tokens", "{\"identities\":[{\"identifier\":\"uid\",\"value\":\"oa-1\"},"
                + "{\"identifier\":\"email\",\"value\":\"oa@example.com\"}],\"expires_in\":600,\"single_use\":true}", apiKey, 200).body().path("token").asText();
        String more = call("POST", tokens, "/v1/apps/demo/tokens", "{\"identities\":[{\"identifier\":\"phone_number\",\"value\":\"+1555777\"}],"
                + "\"full_privacy_enabled\":true}", apiKey, 200).body().path("token").asText();
        String external = call("POST", tokens, "/v1/apps/demo/tokens", "{\"external_id\":\"oa-ext\"}", apiKey, 200).body().path("token").asText();
        call("POST", tokens, "/v1/apps/demo/tokens", "{\"identities\":[]}", null, 401);
        call("POST", tokens, "/v1/apps/demo/tokens", "{\"identities\":[{\"identifier\":\"steam_id\",\"value\":\"s\"}]}", apiKey, 400);

        Answer signedIn = call("POST", login, "/v1/apps/demo/login", "{\"identity_token\":\"" + token + "\",\"device_id\":\"oa-phone\"}", null, 200);
        String session = signedIn.body().path("session_token").asText();
        String userId = signedIn.body().at("/user/id").asText();
        String anonymous = call("POST", login, "/v1/apps/demo/login", "{\"identity_token\":\"\",\"device_id\":\"oa-kiosk\"}", null, 200)
                .body().path("session_token").asText();
        call("POST", login, "/v1/apps/demo/login", "{\"external_id\":\"oa-ext\",\"jwt\":\"" + external + "\",\"device_id\":\"oa-web\"}", null, 200);
        call("POST", login, "/v1/apps/demo/login", "{\"user\":{\"user_id\":\"oa-hc\",\"email\":\"hc@example.com\"},\"device_id\":\"oa-laptop\"}", null, 200);
        call("POST", login, "/v1/apps/demo/login", "{\"identity_token\":\"" + token + "\",\"device_id\":\"oa-other\"}", null, 401);
        call("POST", login, "/v1/apps/demo/login", "{\"identity_token\":", null, 400);
        call("POST", login, "/v1/apps/nope/login", "{\"identity_token\":\"\",\"device_id\":\"d\"}", null, 404);

        call("POST", "/v1/identities", "/v1/identities", "{\"identity_token\":\"" + more + "\"}", session, 200);
        call("POST", "/v1/identities", "/v1/identities", "{\"identity_token\":\"" + more + "\"}", anonymous, 200);
        call("POST", "/v1/identities", "/v1/identities", "{\"identity_token\":\"" + more + "\"}", null, 401);
        call("POST", "/v1/attributes", "/v1/attributes", "{\"updates\":[{\"type\":\"global\",\"attributes\":{\"first_name\":\"Oa\",\"age\":[1]}},"
                + "{\"type\":\"app\",\"attributes\":{\"app_version\":\"1\",\"colour\":\"x\"}}]}", session, 200);
        call("POST", "/v1/attributes", "/v1/attributes", "{\"updates\":[{\"type\":\"global\",\"attributes\":{\"new_tags\":\"x\"}}]", session, 400);
        call("GET", "/v1/session", "/v1/session", null, session, 200);
        call("GET", "/v1/session", "/v1/session", null, "demo.not-a-real-session-token-at-all-000000000000", 401);

        String users = "/v1/apps/{appId}/users";
        call("GET", users, "/v1/apps/demo/users?identifier=email&value=oa@example.com", null, apiKey, 200);
        call("GET", users, "/v1/apps/demo/users?identifier=email&value=nobody@example.com", null, apiKey, 404);
        call("POST", "/v1/apps/{appId}/users/{userId}/logout", "/v1/apps/demo/users/" + userId + "/logout", null, apiKey, 200);
        call("POST", "/v1/apps/{appId}/users/{userId}/logout", "/v1/apps/demo/users/" + userId + "/logout", null, "uh_wrong", 401);
        call("GET", "/v1/apps/{appId}/users/{userId}/export", "/v1/apps/demo/users/" + userId + "/export", null, apiKey, 200);
        call("GET", "/v1/apps/{appId}/users/{userId}/export", "/v1/apps/demo/users/" + "0".repeat(32) + "/export", null, apiKey, 404);
        String userAudit = "/v1/apps/{appId}/users/{userId}/audit";
        call("GET", userAudit, "/v1/apps/demo/users/" + userId + "/audit?limit=5", null, apiKey, 200);
        call("GET", userAudit, "/v1/apps/demo/users/" + userId + "/audit?kind=nonsense", null, apiKey, 400);
        String appAudit = "/v1/apps/{appId}/audit";
        Answer auditPage = call("GET", appAudit, "/v1/apps/demo/audit?kind=login&limit=1", null, apiKey, 200);
        assertThat(auditPage.raw()).contains("\"kind\":\"login\"");
        call("GET", appAudit, "/v1/apps/demo/audit?since=yesterday", null, apiKey, 400);
        call("GET", appAudit, "/v1/apps/demo/audit", null, null, 401);
        String dryRun = "/v1/apps/{appId}/rules:dry-run";
        call("POST", dryRun, "/v1/apps/demo/rules:dry-run", "{\"rules\":{\"sticky\":[\"email\"]},\"samples\":[{\"identities\":"
                + "[{\"identifier\":\"uid\",\"value\":\"oa-2\"},{\"identifier\":\"email\",\"value\":\"oa@example.com\"}]}]}", apiKey, 200);
        call("POST", dryRun, "/v1/apps/demo/rules:dry-run", "{\"samples\":[]}", apiKey, 400);
        // A move (a newer token takes an email), then its undo by the merge id the audit trail names.
        long now = java.time.Instant.now().getEpochSecond();
        String older = io.userhub.testkit.TestTokens.hs256(userhub.demo().kid(), userhub.demo().secret(),
                io.userhub.testkit.TestTokens.identitiesPayload(now - 60, "uid", "oa-from", "email", "oa-moving@example.com"));
        String newer = io.userhub.testkit.TestTokens.hs256(userhub.demo().kid(), userhub.demo().secret(),
                io.userhub.testkit.TestTokens.identitiesPayload(now, "uid", "oa-to", "email", "oa-moving@example.com"));
        call("POST", login, "/v1/apps/demo/login", "{\"identity_token\":\"" + older + "\",\"device_id\":\"oa-from\"}", null, 200);
        String to = call("POST", login, "/v1/apps/demo/login", "{\"identity_token\":\"" + newer + "\",\"device_id\":\"oa-to\"}", null, 200)
                .body().at("/user/id").asText();
        String mergeId = send("GET", "/v1/apps/demo/users/" + to + "/audit?kind=login", null, null, apiKey).body()
                .at("/records/0/details/merge_id").asText();
        String unmerge = "/v1/apps/{appId}/users/{userId}/unmerge";
        call("POST", unmerge, "/v1/apps/demo/users/" + to + "/unmerge", "{\"merge_id\":\"" + mergeId + "\"}", apiKey, 200);
        call("POST", unmerge, "/v1/apps/demo/users/" + to + "/unmerge", "{\"merge_id\":\"" + mergeId + "\"}", apiKey, 409);
        // After an unmerge, the history says unmerged_in / unmerged_out, and lookup and export still match their schemas.
        Answer afterUnmerge = call("GET", users, "/v1/apps/demo/users?identifier=uid&value=oa-to", null, apiKey, 200);
        assertThat(afterUnmerge.raw()).contains("\"unmerged_out\"");
        Answer exportAfterUnmerge = call("GET", "/v1/apps/{appId}/users/{userId}/export", "/v1/apps/demo/users/" + to + "/export", null, apiKey, 200);
        assertThat(exportAfterUnmerge.raw()).contains("\"unmerged_out\"");
        call("POST", "/v1/logout", "/v1/logout", null, anonymous, 200);
        call("POST", "/v1/logout", "/v1/logout", null, null, 401);
        Answer imported = send("POST", "/v1/apps/demo/users/import", "text/csv", "user_id,email\noa-imp,imp@example.com\n,\n", apiKey);
        validate("POST", "/v1/apps/{appId}/users/import", imported, 200);
        validate("POST", "/v1/apps/{appId}/users/import", send("POST", "/v1/apps/demo/users/import", "text/plain", "x", apiKey), 415);
        call("DELETE", "/v1/apps/{appId}/users/{userId}", "/v1/apps/demo/users/" + userId, null, apiKey, 200);
        call("DELETE", "/v1/apps/{appId}/users/{userId}", "/v1/apps/demo/users/" + userId, null, apiKey, 404);
        String revoke = "/v1/apps/{appId}/sessions:revoke";
        call("POST", revoke, "/v1/apps/demo/sessions:revoke", "{\"issued_before\":\"2020-01-01T00:00:00Z\"}", apiKey, 200);
        call("POST", revoke, "/v1/apps/demo/sessions:revoke", "{\"issued_before\":\"2999-01-01T00:00:00Z\"}", apiKey, 400);
        // Every delivery the inbox got is its type's body in the document's webhooks.
        java.util.Set<String> types = new TreeSet<>();
        long until = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < until && !types.containsAll(Set.of("user.created", "identity.moved", "user.unmerged",
                "sessions.ended", "user.erased"))) {
            Thread.sleep(100);
            types.clear();
            for (JsonNode delivery : send("GET", "/local/webhook-inbox", null, null, null).body().path("deliveries")) {
                types.add(Json.MAPPER.readTree(delivery.path("body").asText()).path("type").asText());
            }
        }
        assertThat(types).contains("user.created", "identity.moved", "user.unmerged", "sessions.ended", "user.erased");
        for (JsonNode delivery : send("GET", "/local/webhook-inbox", null, null, null).body().path("deliveries")) {
            JsonNode body = Json.MAPPER.readTree(delivery.path("body").asText());
            assertAgainst("/webhooks/" + escape(body.path("type").asText()) + "/post/requestBody/content/application~1json/schema",
                    new Answer(200, body, delivery.path("body").asText(), null));
        }
        String deliveries = hook + "/deliveries";
        Answer log = call("GET", deliveries, "/v1/apps/demo/webhooks/" + endpointId + "/deliveries?limit=5", null, apiKey, 200);
        assertThat(log.body().path("deliveries")).isNotEmpty();
        call("GET", deliveries, "/v1/apps/demo/webhooks/" + endpointId + "/deliveries?limit=500", null, apiKey, 400);
        call("POST", deliveries, "/v1/apps/demo/webhooks/" + endpointId + "/deliveries",
                "{\"delivery_id\":\"" + log.body().at("/deliveries/0/id").asText() + "\"}", apiKey, 200);
        call("POST", deliveries, "/v1/apps/demo/webhooks/" + endpointId + "/deliveries",
                "{\"since\":\"" + java.time.Instant.now().minusSeconds(3600) + "\"}", apiKey, 200);
        call("POST", deliveries, "/v1/apps/demo/webhooks/" + endpointId + "/deliveries", "{}", apiKey, 400);
        String secret = hook + "/secret";
        call("POST", secret, "/v1/apps/demo/webhooks/" + endpointId + "/secret", "{\"overlap_hours\":1}", apiKey, 200);
        call("POST", secret, "/v1/apps/demo/webhooks/ep_000000000000000000000000/secret", null, apiKey, 404);
        call("DELETE", hook, "/v1/apps/demo/webhooks/" + endpointId, null, apiKey, 200);
        call("DELETE", hook, "/v1/apps/demo/webhooks/" + endpointId, null, apiKey, 404);
        validateError(send("GET", "/v1/nothing-here", null, null, null), 404);
        validateError(send("PUT", "/v1/session", null, null, null), 405);

        Set<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> {
                // Pages, not JSON: ConsoleIT checks the console's answers.
                if (!path.getKey().equals("/openapi.json") && !path.getKey().startsWith("/console")) {
                    documented.add(method.toUpperCase() + " " + path.getKey() + " 200");
                    documented.add(method.toUpperCase() + " " + path.getKey() + " error");
                }
            });
        }
        assertThat(checked).containsAll(documented);
    }

    private Answer call(String method, String template, String path, String body, String bearer, int expected) throws Exception {
        Answer answer = send(method, path, body == null ? null : "application/json", body, bearer);
        validate(method, template, answer, expected);
        return answer;
    }

    private void validate(String method, String template, Answer answer, int expected) {
        assertThat(answer.status()).as(method + " " + template + " -> " + answer.raw()).isEqualTo(expected);
        JsonNode operation = document.path("paths").path(template).path(method.toLowerCase());
        assertThat(operation.isObject()).as("documented: " + method + " " + template).isTrue();
        String pointer = "/paths/" + escape(template) + "/" + method.toLowerCase() + "/responses/" + answer.status();
        // Every status a route answers is declared on the operation itself; default is for 500 only.
        JsonNode response = operation.path("responses").path(String.valueOf(answer.status()));
        assertThat(response.isMissingNode()).as(method + " " + template + " declares " + answer.status()).isFalse();
        if (response.has("$ref")) {
            pointer = response.get("$ref").asText().substring(1);
            response = document.at(pointer);
        }
        assertThat(response.isMissingNode()).as("a documented response for " + answer.status()).isFalse();
        assertAgainst(pointer + "/content/application~1json/schema", answer);
        response.path("headers").fields().forEachRemaining(header -> {
            if (header.getValue().path("required").asBoolean()) {
                assertThat(answer.headers().firstValue(header.getKey())).as(header.getKey() + " on " + answer.status()).isPresent();
            }
        });
        if (answer.status() == 401) {
            assertThat(answer.headers().firstValue("www-authenticate")).as("401 challenge").get().asString()
                    .matches(response.at("/headers/WWW-Authenticate/schema/pattern").asText() + ".*");
        }
        checked.add(method + " " + template + " " + (answer.status() == 200 ? "200" : "error"));
    }

    private void validateError(Answer answer, int expected) {
        assertThat(answer.status()).isEqualTo(expected);
        assertAgainst("/components/schemas/Error", answer);
    }

    private static void assertAgainst(String pointer, Answer answer) {
        ObjectNode root = document.deepCopy();
        root.put("$ref", "#" + pointer);
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(root);
        Set<ValidationMessage> problems = schema.validate(answer.body());
        assertThat(problems).as(pointer + " <- " + answer.raw()).isEmpty();
    }

    private static String escape(String path) {
        return path.replace("~", "~0").replace("/", "~1");
    }

    private static Answer send(String method, String path, String contentType, String body, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(userhub.url().toString().replaceAll("/$", "") + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("content-type", contentType);
        }
        if (bearer != null) {
            request.header("authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode parsed = Json.MAPPER.readTree(response.body().isEmpty() ? "null" : response.body());
        return new Answer(response.statusCode(), parsed, response.body(), response.headers());
    }
}
