package io.userhub.functions.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.testkit.ApiEvents;
import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.devkit.SamTemplate;
import io.userhub.functions.notices.ExpiryNotifierHandler;
import io.userhub.functions.notices.RefreshNotifierHandler;
import io.userhub.functions.support.Harness;
import io.userhub.functions.support.IamActionRecorder;
import io.userhub.functions.support.RecordingPublisher;
import io.userhub.shared.json.Json;
import io.userhub.shared.model.AnonymousPolicy;
import io.userhub.shared.model.LoginMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Least privilege that works: each function's paths, the rare ones included (MERGE of an
 * anonymous user, identity moves and their history trim, the tag-cap recount, the rate-limit
 * restart, a replaced named session, erase with its tombstone), make only DynamoDB requests the
 * function's policy in template.yaml allows. A missing permission would be an AccessDenied, i.e.
 * a broken feature, on AWS only; DynamoDB Local checks no IAM, so this test does.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class PermissionsIT {
    private final IamActionRecorder iam = new IamActionRecorder();
    private final Map<String, Set<String>> neededByFunction = new LinkedHashMap<>();

    @Test
    void everyRequestAFunctionMakesIsAllowedByItsPolicy() {
        Harness h = Harness.through(clock -> DynamoDbLocalExtension.wiring(clock, iam),
                s -> s.withLoginModes(EnumSet.allOf(LoginMode.class)).withAnonymousPolicy(AnonymousPolicy.MERGE));
        String apiKey = h.app.apiKey();

        // Every outcome below is wanted by an endpoint, so each function's outbox write is exercised too.
        iam.takeNeeded();
        String endpoint = h.webhookEndpoint("http://127.0.0.1:9/hooks",
                io.userhub.shared.webhook.WebhookEvents.TYPES.toArray(String[]::new));
        h.webhooks("GET", "", null);
        h.webhooks("GET", "/" + endpoint, null);
        h.webhooks("PATCH", "/" + endpoint, "{\"description\":\"every type\"}");
        record("WebhookEndpointsFunction");
        h.wiring.apps().forget(h.app.appId());
        iam.takeNeeded();
        h.mint(Json.object().put("external_id", "perm-ext"));
        record("MintFunction");

        // login: anonymous twice (new, then returning), MERGE into an identified user, an identity
        // move (and the history trim), user id with a pin, a login replacing its own named session
        h.login("p-d1", "");
        h.login("p-d1", "");
        String a = h.login("p-d1", h.identitiesToken("uid", "perm-a", "phone_number", "+1555100")).text("/session_token");
        h.clock.advance(Duration.ofSeconds(2));
        h.login("p-d2", h.identitiesToken("uid", "perm-b", "phone_number", "+1555100"));
        ObjectNode userId = Json.object().put("device_id", "p-d3");
        userId.putObject("user").put("user_id", "perm-hc").put("security_hash", "pin-1");
        h.login(userId);
        h.login(ApiEvents.login(h.app.appId()).bearer(a).body(Json.write(Json.object()
                .put("identity_token", h.identitiesToken("uid", "perm-a")).put("device_id", "p-d1"))));
        // refusals: a minute's first record (PutItem), then that minute's final count beside the next one's (BatchWriteItem)
        h.login("p-d9", "garbage");
        h.login("p-d9", "garbage");
        h.clock.advance(Duration.ofMinutes(1));
        h.login("p-d9", "garbage");
        record("LoginFunction");

        String session = h.login("p-d4", h.identitiesToken("uid", "perm-c", "email", "perm-c@example.com")).text("/session_token");
        h.clock.advance(Duration.ofSeconds(2));
        iam.takeNeeded();
        h.addIdentities(session, h.identitiesToken("uid", "perm-c", "phone_number", "+1555100"));
        record("IdentitiesFunction");

        StringBuilder tags = new StringBuilder();
        for (int i = 0; i < 30; i++) tags.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
        for (int batch = 0; batch < 4; batch++) {
            String prefixed = tags.toString().replace("\"t", "\"b" + batch + "-t");
            h.attributes(session, "{\"updates\":[{\"type\":\"global\",\"attributes\":{\"new_tags\":[" + prefixed + "]}},"
                    + "{\"type\":\"app\",\"attributes\":{\"app_version\":\"" + batch + "\"}}]}");
        }
        h.clock.advance(Duration.ofMinutes(2));
        h.attributes(session, "{\"updates\":[{\"type\":\"app\",\"attributes\":{\"app_version\":\"x\"}}]}");
        record("AttributesFunction");

        h.session(session);
        record("SessionFunction");

        String userOfSession = h.session(session).text("/user/id");
        iam.takeNeeded();
        h.lookup("email", "perm-c@example.com");
        record("LookupUserFunction");
        h.export(userOfSession);
        record("ExportUserFunction");
        h.appAudit("kind", "login,identity_moved");
        h.userAudit(userOfSession);
        record("AuditFunction");
        h.rulesDryRun("{\"samples\":[{\"identities\":[{\"identifier\":\"uid\",\"value\":\"perm-new\"},"
                + "{\"identifier\":\"email\",\"value\":\"perm-c@example.com\"}]}]}");
        record("RulesDryRunFunction");
        // perm-c's identity addition above moved the phone number from perm-b: undo it.
        String additionId = h.userAudit(userOfSession, "kind", "identity_moved").body().at("/records/0/details/cause_id").asText();
        iam.takeNeeded();
        assertThat(h.unmerge(userOfSession, additionId).status()).isEqualTo(200);
        record("UnmergeFunction");
        h.endSessions(userOfSession);
        record("EndUserSessionsFunction");
        h.importCsv("user_id,email,name\nperm-imp,imp@example.com,Imp\nperm-c,,Renamed\n");
        h.importCsv("user_id,email,name\nperm-imp,imp@example.com,Imp Again\n");
        record("ImportUsersFunction");
        String other = h.login("p-d5", h.identitiesToken("uid", "perm-d")).text("/session_token");
        iam.takeNeeded();
        h.logout(other);
        record("LogoutFunction");
        h.erase(userOfSession);
        record("EraseUserFunction");
        assertThat(h.revokeSessions("{\"issued_before\":\"2020-01-01T00:00:00Z\"}", h.app.apiKey()).status()).isEqualTo(200);
        record("RevokeSessionsFunction");

        // The engine: the outbox's events fanned out, one delivery dead after its last attempt, one delivered.
        iam.takeNeeded();
        var queue = new io.userhub.functions.support.RecordingDeliveryQueue();
        java.util.List<io.userhub.shared.webhook.WebhookEvent> outbox = h.wiring.webhooks().between(h.app.appId(),
                Harness.START.minusSeconds(60), h.clock.instant().plusSeconds(1), 100);
        assertThat(outbox).isNotEmpty();
        new io.userhub.functions.webhooks.WebhookFanOutHandler(h.wiring, queue)
                .handleRequest(io.userhub.functions.support.StreamEvents.of(outbox), null);
        record("WebhookFanOutFunction");
        assertThat(queue.queued).isNotEmpty();
        var failing = io.userhub.functions.UseCases.of(h.wiring).webhookDelivery(queue, (url, id, secrets, body) ->
                new io.userhub.shared.webhook.DeliveryAttempt(500, io.userhub.shared.webhook.DeliveryPolicy.Verdict.RETRY,
                        java.util.Optional.empty(), "HTTP_500", "", Duration.ZERO), 1.0);
        assertThat(failing.attempt(queue.queued.get(0), io.userhub.shared.webhook.DeliveryPolicy.BACKOFF.size() + 1).status())
                .isEqualTo("dead");
        var delivering = io.userhub.functions.UseCases.of(h.wiring).webhookDelivery(queue, (url, id, secrets, body) ->
                new io.userhub.shared.webhook.DeliveryAttempt(204, io.userhub.shared.webhook.DeliveryPolicy.Verdict.DELIVERED,
                        java.util.Optional.empty(), null, "", Duration.ZERO), 1.0);
        assertThat(delivering.attempt(queue.queued.get(1), 1).status()).isEqualTo("delivered");
        record("WebhookDeliveryFunction");
        h.webhooks("GET", "/" + endpoint + "/deliveries", null);
        h.webhooks("POST", "/" + endpoint + "/deliveries", "{\"delivery_id\":\""
                + io.userhub.shared.webhook.Delivery.idOf(queue.queued.get(1).event()) + "\"}");
        h.webhooks("POST", "/" + endpoint + "/deliveries", "{\"since\":\"" + Harness.START.minusSeconds(60) + "\"}");
        h.webhooks("POST", "/" + endpoint + "/secret", null);
        assertThat(h.webhooks("DELETE", "/" + endpoint, null).status()).isEqualTo(200);
        record("WebhookOperationsFunction");

        Harness notices = Harness.through(clock -> DynamoDbLocalExtension.isolatedWiring(clock, iam), s -> s);
        notices.webhookEndpoint("http://127.0.0.1:9/hooks", "refreshUserCredentials", "userSessionExpired");
        notices.sessionFor("n-d1", "uid", "due");
        notices.clock.advance(Duration.ofHours(24).minusMinutes(10));
        iam.takeNeeded();
        new RefreshNotifierHandler(notices.wiring, notices.wiring.withWebhookNotices(new RecordingPublisher())).handleRequest(Map.of(), null);
        record("RefreshNotifierFunction");
        notices.clock.advance(Duration.ofMinutes(20));
        new ExpiryNotifierHandler(notices.wiring, notices.wiring.withWebhookNotices(new RecordingPublisher())).handleRequest(Map.of(), null);
        record("ExpiryNotifierFunction");
        assertThat(neededByFunction.get("ExpiryNotifierFunction")).contains("dynamodb:PutItem WebhooksTable");
        assertThat(neededByFunction.get("LogoutFunction")).contains("dynamodb:PutItem WebhooksTable");

        Map<String, JsonNode> functions = SamTemplate.locate().resources("AWS::Serverless::Function");
        neededByFunction.forEach((function, needed) -> {
            assertThat(needed).as(function + " made no request: the scenario is broken").isNotEmpty();
            assertThat(allowed(functions.get(function))).as(function + "'s policy in template.yaml").containsAll(needed);
        });
        // The fallback route and the console's static files reach no AWS service, and may not.
        assertThat(neededByFunction.keySet()).containsAll(functions.keySet().stream()
                .filter(f -> !f.equals("NotFoundFunction") && !f.equals("ConsoleFunction")).toList());
        assertThat(functions.get("ConsoleFunction").path("Properties").has("Policies")).isFalse();
        assertThat(neededByFunction.get("LoginFunction")).contains("dynamodb:Query UsersTable", "dynamodb:UpdateItem SessionsTable");
        assertThat(neededByFunction.get("EraseUserFunction")).contains("dynamodb:UpdateItem UsersTable");
        assertThat(neededByFunction.get("AttributesFunction")).contains("dynamodb:GetItem UsersTable");
        assertThat(neededByFunction.get("LoginFunction")).contains("dynamodb:BatchWriteItem UsersTable");
        assertThat(neededByFunction.get("AuditFunction")).contains("dynamodb:Query UsersTable/index/AuditByUser");
    }

    private void record(String function) {
        Set<String> needed = new TreeSet<>();
        for (String permission : iam.takeNeeded()) {
            // tables of isolated tests are named <prefix>_<LogicalId>
            needed.add(permission.replaceAll(" t[0-9a-f]{8}_", " "));
        }
        neededByFunction.merge(function, needed, (x, y) -> {
            Set<String> both = new TreeSet<>(x);
            both.addAll(y);
            return both;
        });
    }

    private static Set<String> allowed(JsonNode function) {
        Set<String> allowed = new TreeSet<>();
        for (JsonNode policy : function.path("Properties").path("Policies")) {
            for (JsonNode statement : policy.path("Statement")) {
                String resource = statement.path("Resource").asText().replace("${", "").replace("}", "").replace(".Arn", "");
                statement.path("Action").forEach(action -> allowed.add(action.asText() + " " + resource));
            }
        }
        return allowed;
    }
}
