package io.userhub.functions;

import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.devkit.SamTemplate;
import io.userhub.functions.support.CapacityRecorder;
import io.userhub.functions.support.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each route costs in DynamoDB capacity units on its common path, measured (see
 * CapacityRecorder for how), and the table in docs/performance.md kept equal to it.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class CostIT {
    /** DynamoDB on-demand, us-east-1: $0.625 per million write units, $0.125 per million read units. */
    static final double USD_PER_MILLION_WRU = 0.625;
    static final double USD_PER_MILLION_RRU = 0.125;

    @Test
    void theCostTableInThePerformanceDocIsWhatTheRoutesCost() throws Exception {
        CapacityRecorder capacity = new CapacityRecorder(DynamoDbLocalExtension.client(List.of()));
        // Two new anonymous devices an hour per address, so that the third shows what a refused flood costs.
        Harness h = Harness.through(clock -> DynamoDbLocalExtension.wiring(clock, capacity),
                s -> s.withAnonymousLimits(java.time.Duration.ofDays(30), 2));
        Map<String, CapacityRecorder.Cost> costs = new LinkedHashMap<>();

        String token = h.identitiesToken("uid", "cost-1", "email", "cost-1@example.com");
        h.login("cost-phone", token);
        capacity.take();
        // Returning logins come later than the first (inside the app cache): the refresh time, an index key, moves.
        h.clock.advance(java.time.Duration.ofSeconds(10));
        h.login("cost-phone", h.identitiesToken("uid", "cost-1", "email", "cost-1@example.com"));
        costs.put("returning login, identities JWT, same device", capacity.take());
        h.login("cost-new", h.identitiesToken("uid", "cost-2", "email", "cost-2@example.com"));
        costs.put("first login of a new user", capacity.take());
        h.login("cost-kiosk", "");
        capacity.take();
        h.clock.advance(java.time.Duration.ofSeconds(10));
        h.login("cost-kiosk", "");
        costs.put("returning anonymous login, same device", capacity.take());
        h.login("cost-kiosk-2", "");
        costs.put("first anonymous login on a new device (the address's hourly allowance inside)", capacity.take());
        h.login("cost-kiosk-3", "");
        costs.put("new anonymous device over its address's allowance, the first refusal", capacity.take());
        h.login("cost-kiosk-4", "");
        costs.put("new anonymous device over its address's allowance, later in that hour", capacity.take());

        String session = h.sessionFor("cost-tablet", "uid", "cost-3");
        capacity.take();
        h.attributes(session, "{\"updates\":[{\"type\":\"global\",\"attributes\":{\"first_name\":\"Ada\"}},"
                + "{\"type\":\"app\",\"attributes\":{\"app_version\":\"1\"}}]}");
        costs.put("attribute batch, global and app keys", capacity.take());
        h.attributes(session, "{\"updates\":[{\"type\":\"app\",\"attributes\":{\"app_version\":\"2\"}}]}");
        costs.put("attribute batch, app keys only", capacity.take());
        h.addIdentities(session, h.identitiesToken("phone_number", "+1555300"));
        costs.put("add one identity", capacity.take());
        h.session(session);
        costs.put("read the session", capacity.take());
        h.lookup("uid", "cost-3");
        costs.put("look a user up", capacity.take());
        h.logout(session);
        costs.put("logout", capacity.take());

        // The audit trail and the routes of issue 11, on the records and users made above.
        String forged = io.userhub.testkit.TestTokens.hs256(h.app.kid(), "wrong", io.userhub.testkit.TestTokens.identitiesPayload(h.now(), "uid", "x"));
        h.login("cost-attacker", forged);
        costs.put("refused login, the first of its reason in a minute (background PutItem)", capacity.take());
        h.login("cost-attacker", forged);
        costs.put("refused login, later in that minute", capacity.take());
        h.appAudit("kind", "login", "limit", "50");
        costs.put("app audit page, one kind (7 records)", capacity.take());
        String user = h.lookup("uid", "cost-1").text("/user/id");
        capacity.take();
        h.userAudit(user);
        costs.put("person's audit page (2 records)", capacity.take());
        h.rulesDryRun("{\"rules\":{\"sticky\":[\"email\"]},\"samples\":[{\"identities\":[{\"identifier\":\"uid\",\"value\":\"cost-9\"},"
                + "{\"identifier\":\"email\",\"value\":\"cost-1@example.com\"}]}]}");
        costs.put("rules dry run, one sample of two identities", capacity.take());
        h.clock.advance(java.time.Duration.ofSeconds(10));
        String taker = h.login("cost-taker", h.identitiesToken("uid", "cost-9", "email", "cost-1@example.com")).text("/user/id");
        costs.put("login that moves an identity (lineage and audit records inside)", capacity.take());
        String mergeId = h.userAudit(taker, "kind", "login").body().at("/records/0/details/merge_id").asText();
        capacity.take();
        h.unmerge(taker, mergeId);
        costs.put("unmerge of one moved identity", capacity.take());

        // Webhooks: what an endpoint costs to add, what an outcome it wants adds (one outbox PutItem), and one delivery attempt.
        String endpoint = h.webhookEndpoint("http://127.0.0.1:9/hooks", "user.created", "sessions.ended");
        costs.put("add a webhook endpoint (endpoint, count and the app's wanted types in one transaction)", capacity.take());
        h.login("cost-hooked-warm", "");
        capacity.take(); // the function reads the changed app once (its cache was dropped by the change), then keeps it
        h.login("cost-hooked", h.identitiesToken("uid", "cost-4", "email", "cost-4@example.com"));
        costs.put("first login of a new user, with an endpoint wanting user.created (the outbox item in its transaction)", capacity.take());
        String hooked = h.sessionFor("cost-hooked-2", "uid", "cost-hooked-2");
        capacity.take();
        h.logout(hooked);
        costs.put("logout, with an endpoint wanting sessions.ended (one outbox PutItem more)", capacity.take());
        io.userhub.shared.webhook.WebhookEvent event = h.wiring.webhooks().between(h.app.appId(), h.clock.instant().minusSeconds(60),
                h.clock.instant().plusSeconds(1), 10).get(0);
        capacity.take();
        io.userhub.functions.UseCases.of(h.wiring).webhookDelivery(new io.userhub.functions.support.RecordingDeliveryQueue(),
                (url, id, secrets, body) -> new io.userhub.shared.webhook.DeliveryAttempt(204,
                        io.userhub.shared.webhook.DeliveryPolicy.Verdict.DELIVERED, java.util.Optional.empty(), null, "",
                        java.time.Duration.ZERO), 1.0).attempt(new io.userhub.shared.webhook.Delivery(endpoint, event), 1);
        costs.put("one webhook delivery attempt (endpoint read, delivery log update)", capacity.take());

        StringBuilder table = new StringBuilder();
        costs.forEach((route, cost) -> table.append(String.format(java.util.Locale.ROOT, "| %s | %d | %.1f | %.1f | %.2f |%n",
                route, cost.requests(), cost.rru(), cost.wru(),
                cost.wru() * USD_PER_MILLION_WRU + cost.rru() * USD_PER_MILLION_RRU)));
        System.out.println("measured capacity:\n" + table);

        String doc = Files.readString(SamTemplate.locatePath().getParent().resolve("docs/performance.md"));
        for (String row : table.toString().lines().toList()) {
            assertThat(doc).as("docs/performance.md holds the measured row").contains(row);
        }
    }
}
