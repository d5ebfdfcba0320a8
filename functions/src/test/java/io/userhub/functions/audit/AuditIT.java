package io.userhub.functions.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.functions.support.Harness;
import io.userhub.functions.support.Harness.Response;
import io.userhub.shared.crypto.Hashing;
import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.testkit.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit trail through the handlers and DynamoDB Local: what logins, moves, conflicts, merges,
 * refusals and erases leave, and the two routes that page through it.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class AuditIT {

    private static List<JsonNode> records(Response page) {
        assertThat(page.status()).as(page.body().toString()).isEqualTo(200);
        List<JsonNode> records = new ArrayList<>();
        page.body().path("records").forEach(records::add);
        return records;
    }

    @Test
    void everyAcceptedLoginLeavesOneRecordWithItsModeKeyAndUser() {
        Harness h = new Harness();
        assertThat(h.login("phone", h.identitiesToken("uid", "audited", "email", "audited@example.com")).status()).isEqualTo(200);
        h.clock.advance(Duration.ofSeconds(5));
        // A returning login on the same device: the one-UpdateItem path writes its record beside it.
        Response returning = h.login("phone", h.identitiesToken("uid", "audited", "email", "audited@example.com"));
        assertThat(returning.status()).isEqualTo(200);
        String userId = returning.text("/user/id");

        List<JsonNode> logins = records(h.appAudit("kind", "login"));
        assertThat(logins).hasSize(2);
        for (JsonNode login : logins) {
            assertThat(login.path("kind").asText()).isEqualTo("login");
            assertThat(login.path("user_id").asText()).isEqualTo(userId);
            assertThat(login.at("/details/outcome").asText()).isEqualTo("accepted");
            assertThat(login.at("/details/mode").asText()).isEqualTo("identities_jwt");
            assertThat(login.at("/details/kid").asText()).isEqualTo(h.app.kid());
            assertThat(login.at("/details/verified").asBoolean()).isTrue();
            assertThat(login.at("/details/identifiers").asText()).isEqualTo("uid,email");
            assertThat(login.at("/details/device_sha256").asText()).isEqualTo(Hashing.sha256Hex("phone"));
        }
        assertThat(logins.get(0).at("/details/new_user").asBoolean()).isTrue();
        assertThat(logins.get(1).at("/details/new_user").asBoolean()).isFalse();
        assertThat(logins.get(1).path("at").asText()).isEqualTo(h.clock.instant().toString());
        assertThat(records(h.userAudit(userId))).extracting(r -> r.path("id").asText())
                .containsExactlyElementsOf(logins.stream().map(r -> r.path("id").asText()).toList());

        // Kept for the retention (90 days by default), then DynamoDB's TTL takes it; never a raw identity value.
        for (Map<String, AttributeValue> item : h.auditItems()) {
            long at = Long.parseLong(item.get("at").n()) / 1000;
            assertThat(Long.parseLong(item.get("ttl").n())).isEqualTo(at + Duration.ofDays(90).toSeconds());
            assertThat(item.toString()).doesNotContain("audited@example.com").doesNotContain("audited,");
        }
    }

    @Test
    void aMoveAndAConflictAreRecordedWithTheValuesDigestsNeverTheValues() {
        Harness h = new Harness();
        String ada = h.login("ada-phone", h.identitiesToken("uid", "ada", "email", "shared@example.com")).text("/user/id");
        h.clock.advance(Duration.ofMinutes(1));
        // Bob's newer token takes the email: a move from Ada to Bob.
        String bob = h.login("bob-phone", h.identitiesToken("uid", "bob", "email", "shared@example.com")).text("/user/id");
        // Carol's token is older than Bob's claim on the email: it stays with Bob, a conflict.
        h.clock.advance(Duration.ofSeconds(1));
        String olderToken = TestTokens.hs256(h.app.kid(), h.app.secret(),
                TestTokens.identitiesPayload(h.now() - 30, "uid", "carol", "email", "shared@example.com"));
        Response carolLogin = h.login("carol-phone", olderToken);
        assertThat(carolLogin.status()).isEqualTo(200);
        String carol = carolLogin.text("/user/id");

        List<JsonNode> moves = records(h.appAudit("kind", "identity_moved"));
        assertThat(moves).hasSize(1);
        JsonNode move = moves.get(0);
        assertThat(move.path("user_id").asText()).isEqualTo(bob);
        assertThat(move.at("/details/identifier").asText()).isEqualTo("email");
        assertThat(move.at("/details/value_sha256").asText()).isEqualTo(Hashing.sha256Hex("shared@example.com"));
        assertThat(move.at("/details/from_user_id").asText()).isEqualTo(ada);
        assertThat(move.at("/details/to_user_id").asText()).isEqualTo(bob);
        JsonNode bobsLogin = records(h.userAudit(bob, "kind", "login")).get(0);
        assertThat(move.at("/details/cause_id").asText()).isEqualTo(bobsLogin.path("id").asText());
        assertThat(bobsLogin.at("/details/identities_moved").asInt()).isEqualTo(1);

        List<JsonNode> conflicts = records(h.appAudit("kind", "identity_conflict"));
        assertThat(conflicts).hasSize(1);
        assertThat(conflicts.get(0).path("user_id").asText()).isEqualTo(carol);
        assertThat(conflicts.get(0).at("/details/owner_user_id").asText()).isEqualTo(bob);
        assertThat(conflicts.get(0).at("/details/asserted_for_user_id").asText()).isEqualTo(carol);

        assertThat(h.auditItems()).isNotEmpty().allSatisfy(item -> assertThat(item.toString()).doesNotContain("shared@example.com"));
        // Both kinds in one feed, oldest first (records of one millisecond have no order among themselves).
        assertThat(records(h.appAudit("kind", "identity_moved,identity_conflict"))).extracting(r -> r.path("kind").asText())
                .containsExactly("identity_moved", "identity_conflict");
    }

    @Test
    void anAnonymousUsersMergeIsRecordedForTheUserItWentInto() {
        Harness h = new Harness(s -> s.withAnonymousPolicy(io.userhub.shared.model.AnonymousPolicy.MERGE));
        String anonymous = h.login("tablet", "").text("/user/id");
        h.clock.advance(Duration.ofSeconds(1));
        String identified = h.login("tablet", h.identitiesToken("uid", "merged-into")).text("/user/id");

        List<JsonNode> merges = records(h.appAudit("kind", "merge"));
        assertThat(merges).hasSize(1);
        assertThat(merges.get(0).path("user_id").asText()).isEqualTo(identified);
        assertThat(merges.get(0).at("/details/from_user_id").asText()).isEqualTo(anonymous);
        List<JsonNode> logins = records(h.appAudit("kind", "login"));
        assertThat(logins).extracting(r -> r.at("/details/anonymous").asBoolean(false)).containsExactly(true, false);
        assertThat(logins.get(1).at("/details/merged_user_id").asText()).isEqualTo(anonymous);
    }

    @Test
    void refusalsAreCountedPerReasonAndMinuteInTheBackgroundAndNameOnlyKeysTheAppHas() {
        Harness h = new Harness();
        String forged = TestTokens.hs256(h.app.kid(), "not-the-secret", TestTokens.identitiesPayload(h.now(), "uid", "mallory"));
        String strangerKid = TestTokens.hs256("kid-of-" + "x".repeat(40), "whatever", TestTokens.identitiesPayload(h.now(), "uid", "m"));
        assertThat(h.login("warm", "").status()).isEqualTo(200);
        h.recorder.reset();
        assertThat(h.login("d", forged).status()).isEqualTo(401);
        // The minute's first refusal writes its record, off the answer's path; the next two write nothing.
        assertThat(h.recorder.operations()).containsExactly("PutItem");
        h.recorder.reset();
        assertThat(h.login("d", forged).status()).isEqualTo(401);
        assertThat(h.login("d", forged).status()).isEqualTo(401);
        assertThat(h.recorder.calls()).isEmpty();
        assertThat(h.login("d", strangerKid).status()).isEqualTo(401);

        List<JsonNode> refusals = refusals(h);
        assertThat(refusals).hasSize(2);
        JsonNode signature = refusals.stream().filter(r -> r.at("/details/cause").asText().equals("SIGNATURE")).findFirst().orElseThrow();
        assertThat(signature.at("/details/outcome").asText()).isEqualTo("refused");
        assertThat(signature.at("/details/reason").asText()).isEqualTo("IDENTITY_TOKEN_INVALID");
        assertThat(signature.at("/details/kid").asText()).isEqualTo(h.app.kid());
        assertThat(signature.path("user_id").isNull()).isTrue();
        assertThat(signature.path("count").asLong()).isEqualTo(1);
        JsonNode unknownKey = refusals.stream().filter(r -> r != signature).findFirst().orElseThrow();
        assertThat(unknownKey.at("/details/kid").isMissingNode()).as("a kid the app never had is not repeated").isTrue();

        // The next minute's first refusal brings the last minute's final count (same record, replaced).
        h.clock.advance(Duration.ofMinutes(1));
        assertThat(h.login("d", forged).status()).isEqualTo(401);
        List<JsonNode> after = refusals(h);
        assertThat(after).hasSize(3);
        assertThat(after.stream().filter(r -> r.path("id").asText().equals(signature.path("id").asText())).findFirst().orElseThrow()
                .path("count").asLong()).isEqualTo(3);
    }

    private static List<JsonNode> refusals(Harness h) {
        return records(h.appAudit("kind", "login")).stream().filter(r -> r.at("/details/outcome").asText().equals("refused")).toList();
    }

    @Test
    void pagesCarryOnWhereTheLastEndedAcrossKindsAndSinceLeavesOutWhatCameBefore() {
        Harness h = new Harness();
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            h.clock.advance(Duration.ofSeconds(1));
            users.add(h.login("device-" + i, h.identitiesToken("uid", "paged-" + i)).text("/user/id"));
        }
        h.clock.advance(Duration.ofSeconds(1));
        assertThat(h.erase(users.get(0)).status()).isEqualTo(200);

        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response page = cursor == null ? h.appAudit("limit", "2") : h.appAudit("limit", "2", "cursor", cursor);
            for (JsonNode record : records(page)) {
                assertThat(seen.add(record.path("id").asText())).as("each record once").isTrue();
                order.add(record.path("at").asText() + " " + record.path("kind").asText());
            }
            cursor = page.body().path("next_cursor").isNull() ? null : page.body().path("next_cursor").asText();
            pages++;
        } while (cursor != null && pages < 10);
        // Five logins, then the erase: the session it ended and the erase itself, in one millisecond.
        assertThat(seen).hasSize(7);
        assertThat(order).extracting(line -> line.substring(0, line.indexOf(' '))).isSorted();
        assertThat(order.subList(5, 7)).extracting(line -> line.substring(line.indexOf(' ') + 1))
                .containsExactlyInAnyOrder("sessions_ended", "user_erased");

        List<JsonNode> erased = records(h.userAudit(users.get(0), "kind", "user_erased"));
        assertThat(erased).hasSize(1);
        assertThat(erased.get(0).at("/details/identities").asInt()).isEqualTo(1);
        assertThat(erased.get(0).at("/details/profile").asInt()).isEqualTo(1);
        List<JsonNode> ended = records(h.userAudit(users.get(0), "kind", "sessions_ended"));
        assertThat(ended).hasSize(1);
        assertThat(ended.get(0).at("/details/cause").asText()).isEqualTo("erase");
        assertThat(ended.get(0).at("/details/count").asInt()).isEqualTo(1);
        // The erased person's login record stays, holding no value of theirs.
        assertThat(records(h.userAudit(users.get(0)))).hasSize(3);

        String third = h.clock.instant().minusSeconds(3).toString();
        assertThat(records(h.appAudit("since", third))).extracting(r -> r.path("kind").asText())
                .containsExactlyInAnyOrder("login", "login", "login", "sessions_ended", "user_erased");
    }

    private static String b64(String json) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void everyForgedCursorIsA400NamingTheCursorOnBothRoutes() {
        Harness h = new Harness();
        String userId = h.login("phone", h.identitiesToken("uid", "someone")).text("/user/id");
        for (String json : List.of("null", "[]", "[1,2]", "5", "\"text\"", "true", "{\"login\":null}", "{\"login\":5}",
                "{\"login\":{\"a\":1}}", "{\"user\":[\"x\"]}", "{\"nonsense\":\"0000000000001\"}", "{", "")) {
            for (Response response : List.of(h.appAudit("cursor", b64(json)), h.userAudit(userId, "cursor", b64(json)))) {
                if (json.isEmpty()) {
                    assertThat(response.status()).as("an empty cursor is the first page").isEqualTo(200);
                    continue;
                }
                assertThat(response.status()).as(json).isEqualTo(400);
                assertThat(response.text("/errors/cursor")).as(json).isEqualTo("INVALID_VALUE");
            }
        }
    }

    @Test
    void sinceAtAndPastTheEdgesOfTimeIsA400OrAValidPage() {
        Harness h = new Harness();
        String userId = h.login("phone", h.identitiesToken("uid", "someone")).text("/user/id");
        for (String since : List.of("+1000000000-12-31T23:59:59Z", "-1000000000-01-01T00:00:00Z", "+292278994-08-17T07:12:55.807Z",
                "2286-11-20T17:46:40Z", "9999-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00Z", "0000-01-01T00:00:00Z")) {
            for (Response response : List.of(h.appAudit("since", since), h.userAudit(userId, "since", since))) {
                assertThat(response.status()).as(since).isEqualTo(200);
            }
        }
        assertThat(records(h.appAudit("since", "+1000000000-12-31T23:59:59Z"))).as("nothing is that late").isEmpty();
        assertThat(records(h.appAudit("since", "-1000000000-01-01T00:00:00Z"))).as("the oldest kept, on").hasSize(1);
        for (String since : List.of("+1000000001-01-01T00:00:00Z", "2026-13-01T00:00:00Z", "1e9", "")) {
            Response response = h.appAudit("since", since);
            assertThat(response.status()).as(since).isEqualTo(400);
            assertThat(response.text("/errors/since")).isEqualTo("INVALID_VALUE");
        }
    }

    @Test
    void badQueryParametersAreA400NamingTheParameterAndTheRoutesNeedTheAppsCredentials() {
        Harness h = new Harness();
        h.login("phone", h.identitiesToken("uid", "someone"));
        Map<String, String[]> bad = Map.of(
                "kind", new String[]{"kind", "logins"},
                "since", new String[]{"since", "yesterday"},
                "limit", new String[]{"limit", "101"},
                "cursor", new String[]{"cursor", "eyJsb2dpbiI6Imp1bmsifQ"});
        bad.forEach((parameter, query) -> {
            Response response = h.appAudit(query);
            assertThat(response.status()).as(parameter).isEqualTo(400);
            assertThat(response.reason()).isEqualTo("FIELD_INVALID");
            assertThat(response.text("/errors/" + parameter)).isEqualTo("INVALID_VALUE");
        });
        assertThat(h.appAudit("limit", "0").status()).isEqualTo(400);
        assertThat(h.appAudit("limit", "-1").status()).isEqualTo(400);
        assertThat(h.userAudit("not-a-user-id").status()).isEqualTo(404);
        assertThat(records(h.userAudit("0".repeat(32)))).isEmpty();

        Response anonymous = Harness.call(h.auditHandler.handleRequest(io.userhub.testkit.ApiEvents.get("/v1/apps/{appId}/audit",
                "/v1/apps/" + h.app.appId() + "/audit").pathParameter("appId", h.app.appId()).build(), null));
        assertThat(anonymous.status()).isEqualTo(401);
        Harness other = new Harness();
        Response otherApp = Harness.call(h.auditHandler.handleRequest(io.userhub.testkit.ApiEvents.get("/v1/apps/{appId}/audit",
                "/v1/apps/" + h.app.appId() + "/audit").pathParameter("appId", h.app.appId()).bearer(other.app.apiKey()).build(), null));
        assertThat(otherApp.status()).isEqualTo(401);
    }
}
