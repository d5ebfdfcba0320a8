package io.userhub.functions.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.functions.support.Harness;
import io.userhub.functions.support.Harness.Response;
import io.userhub.shared.model.ResolutionRules;
import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.testkit.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Identity-resolution rules (sticky identifiers, per-identifier limits, priority without a uid)
 * as logins and identity additions apply them, and the dry run that shows what new rules would do
 * without writing.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class ResolutionRulesIT {

    @Test
    void aStickyIdentifierStaysWithItsProfileAndTheNewerLoginGetsAConflict() {
        Harness h = new Harness(s -> s.withRules(new ResolutionRules(Set.of("phone_number"), Map.of(), List.of("email"))));
        String ada = h.login("ada-phone", h.identitiesToken("uid", "ada", "phone_number", "+15550100", "email", "shared@example.com"))
                .text("/user/id");
        h.clock.advance(Duration.ofMinutes(1));
        Response bob = h.login("bob-phone", h.identitiesToken("uid", "bob", "phone_number", "+15550100", "email", "shared@example.com"));

        assertThat(bob.status()).isEqualTo(200);
        // The email (not sticky) moved to Bob; the phone number stayed with Ada.
        assertThat(bob.body().path("identities_not_moved").toString()).contains("phone_number").doesNotContain("email");
        assertThat(h.lookup("phone_number", "+15550100").text("/user/id")).isEqualTo(ada);
        assertThat(h.lookup("email", "shared@example.com").text("/user/id")).isEqualTo(bob.text("/user/id"));
        assertThat(h.appAudit("kind", "identity_conflict").body().at("/records/0/details/identifier").asText()).isEqualTo("phone_number");
    }

    @Test
    void aLimitPerIdentifierRefusesTheLoginTheMintAndTheAdditionThatWouldExceedIt() {
        Harness h = new Harness(s -> s.withRules(new ResolutionRules(Set.of(), Map.of("email", 2), List.of("email"))));
        Response three = h.login("d", h.identitiesToken("uid", "u", "email", "a@example.com", "email", "b@example.com", "email", "c@example.com"));
        assertThat(three.status()).isEqualTo(400);
        assertThat(three.reason()).isEqualTo("IDENTITIES_SIZE_LIMIT_EXCEEDED");
        assertThat(three.body().at("/details/identifier").asText()).isEqualTo("email");
        assertThat(three.body().at("/details/maxIdentitiesAllowed").asInt()).isEqualTo(2);
        assertThat(h.storedItemsBesidesAudit()).isEmpty();

        Response mint = h.mint(io.userhub.shared.json.Json.MAPPER.createObjectNode().set("identities", io.userhub.shared.json.Json.MAPPER
                .valueToTree(List.of(Map.of("identifier", "uid", "value", "u"), Map.of("identifier", "email", "value", "a@example.com"),
                        Map.of("identifier", "email", "value", "b@example.com"), Map.of("identifier", "email", "value", "c@example.com")))));
        assertThat(mint.reason()).isEqualTo("IDENTITIES_SIZE_LIMIT_EXCEEDED");

        String session = h.sessionFor("d", "uid", "u", "email", "a@example.com", "email", "b@example.com");
        Response third = h.addIdentities(session, h.identitiesToken("email", "c@example.com"));
        assertThat(third.status()).isEqualTo(400);
        assertThat(third.reason()).isEqualTo("IDENTITIES_SIZE_LIMIT_EXCEEDED");
        assertThat(h.lookup("email", "c@example.com").status()).isEqualTo(404);
    }

    @Test
    void withoutAUidThePriorityListDecidesWhichProfileALoginLandsOn() {
        Harness h = new Harness(s -> s.withRules(new ResolutionRules(Set.of(), Map.of(), List.of("phone_number", "email"))));
        String byEmail = h.login("d1", h.identitiesToken("uid", "e", "email", "e@example.com")).text("/user/id");
        String byPhone = h.login("d2", h.identitiesToken("uid", "p", "phone_number", "+15550111")).text("/user/id");
        h.clock.advance(Duration.ofMinutes(1));
        // No uid: the phone number's owner wins over the email's, by the app's priority.
        Response both = h.login("d3", h.identitiesToken("email", "e@example.com", "phone_number", "+15550111"));
        assertThat(both.text("/user/id")).isEqualTo(byPhone).isNotEqualTo(byEmail);
    }

    @Test
    void theDryRunReportsWhatProposedRulesWouldChangeAndWritesNothing() {
        Harness h = new Harness();
        String ada = h.login("ada", h.identitiesToken("uid", "ada", "phone_number", "+15550100", "email", "ada@example.com")).text("/user/id");
        h.clock.advance(Duration.ofMinutes(1));
        int itemsBefore = h.storedItems().size();
        long now = h.now();
        String body = "{\"rules\":{\"sticky\":[\"phone_number\"],\"identifier_limits\":{\"email\":1},\"blocked_values\":[\"test\"]},"
                + "\"samples\":["
                + "{\"identities\":[{\"identifier\":\"uid\",\"value\":\"bob\"},{\"identifier\":\"phone_number\",\"value\":\"+15550100\"}],\"asserted_at\":" + now + "},"
                + "{\"identities\":[{\"identifier\":\"uid\",\"value\":\"carol\"},{\"identifier\":\"email\",\"value\":\"c1@example.com\"},{\"identifier\":\"email\",\"value\":\"c2@example.com\"}]},"
                + "{\"identities\":[{\"identifier\":\"uid\",\"value\":\"test\"}]},"
                + "{\"identities\":[{\"identifier\":\"uid\",\"value\":\"ada\"}]}]}";
        h.recorder.reset();

        Response run = h.rulesDryRun(body);

        assertThat(run.status()).as(run.body().toString()).isEqualTo(200);
        // Reads only: the app (server routes read it), then the samples' claims in one BatchGetItem.
        assertThat(h.recorder.operations()).containsExactly("GetItem", "BatchGetItem");
        assertThat(h.storedItems()).hasSize(itemsBefore);
        JsonNode results = run.body().path("results");
        // 1. Today the phone number moves to Bob; sticky, it would stay with Ada.
        assertThat(results.at("/0/current/moves/0/from_user_id").asText()).isEqualTo(ada);
        assertThat(results.at("/0/proposed/moves")).isEmpty();
        assertThat(results.at("/0/proposed/conflicts/0/owner_user_id").asText()).isEqualTo(ada);
        assertThat(results.at("/0/changed").asBoolean()).isTrue();
        // 2. Two emails: fine today, over the proposed limit of one.
        assertThat(results.at("/1/current/outcome").asText()).isEqualTo("new_user");
        assertThat(results.at("/1/proposed/outcome").asText()).isEqualTo("refused");
        assertThat(results.at("/1/proposed/reason").asText()).isEqualTo("IDENTITIES_SIZE_LIMIT_EXCEEDED");
        // 3. A value the proposed rules block.
        assertThat(results.at("/2/proposed/reason").asText()).isEqualTo("IDENTITIES_DATA_INVALID");
        assertThat(results.at("/2/proposed/errors/uid").asText()).isEqualTo("BLOCKED_VALUE");
        // 4. Unchanged: Ada's own login.
        assertThat(results.at("/3/current/user_id").asText()).isEqualTo(ada);
        assertThat(results.at("/3/changed").asBoolean()).isFalse();
        assertThat(run.body().at("/summary/changed").asInt()).isEqualTo(3);
        assertThat(run.body().at("/summary/proposed/refused").asInt()).isEqualTo(2);
        assertThat(run.body().at("/summary/current/moves").asInt()).isEqualTo(1);

        // The app's rules are untouched: Bob's real login still takes the phone number.
        Response bob = h.login("bob", h.identitiesToken("uid", "bob", "phone_number", "+15550100"));
        assertThat(h.lookup("phone_number", "+15550100").text("/user/id")).isEqualTo(bob.text("/user/id"));
    }

    @Test
    void aBadDryRunRequestIsA400NamingTheField() {
        Harness h = new Harness();
        assertThat(h.rulesDryRun("{\"samples\":[]}").text("/errors/samples")).isEqualTo("INVALID_VALUE");
        assertThat(h.rulesDryRun("{}").text("/errors/samples")).isEqualTo("MISSING");
        Response badRules = h.rulesDryRun("{\"rules\":{\"sticky\":[\"uid\"],\"identifier_limits\":{\"email\":99}},"
                + "\"samples\":[{\"identities\":[{\"identifier\":\"uid\",\"value\":\"x\"}]}]}");
        assertThat(badRules.status()).isEqualTo(400);
        assertThat(badRules.text("/errors/rules.sticky")).isEqualTo("UNSUPPORTED_IDENTIFIER");
        assertThat(badRules.text("/errors/rules.limits.email")).isEqualTo("INVALID_VALUE");
        StringBuilder many = new StringBuilder("{\"samples\":[");
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append("{\"identities\":[]}");
        }
        assertThat(h.rulesDryRun(many.append("]}").toString()).text("/errors/samples")).isEqualTo("INVALID_VALUE");
        String forged = TestTokens.hs256(h.app.kid(), h.app.secret(), "{}");
        assertThat(Harness.call(h.rulesDryRunHandler.handleRequest(io.userhub.testkit.ApiEvents.post("/v1/apps/{appId}/rules:dry-run",
                "/v1/apps/" + h.app.appId() + "/rules:dry-run").pathParameter("appId", h.app.appId()).bearer(forged)
                .body("{\"samples\":[{\"identities\":[]}]}").build(), null)).status()).isEqualTo(401);
    }
}
