package io.userhub.functions.users;

import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.testkit.TestTokens;
import io.userhub.functions.support.Harness;
import io.userhub.functions.support.Harness.Response;
import io.userhub.shared.json.Json;
import io.userhub.shared.model.LoginMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(DynamoDbLocalExtension.class)
public class ServerRoutesIT {

    @Test
    void serverRoutesTakeTheAppsApiKeyOrAnAppScopeJwtAndNothingElse() {
        Harness h = new Harness();
        Harness other = new Harness();
        h.login("d", h.identitiesToken("uid", "u-1", "email", "u1@example.com"));
        assertThat(h.lookup("uid", "u-1").status()).isEqualTo(200);
        String appJwt = TestTokens.hs256(h.app.kid(), h.app.secret(), "{\"scope\":\"app\",\"iat\":" + h.now() + ",\"exp\":" + (h.now() + 300) + "}");
        assertThat(h.lookup("uid", "u-1", appJwt).status()).isEqualTo(200);

        for (String wrong : new String[]{null, "nope", other.app.apiKey(), h.identitiesToken("uid", "u-1"),
                TestTokens.hs256(other.app.kid(), other.app.secret(), "{\"scope\":\"app\",\"iat\":" + h.now() + ",\"exp\":" + (h.now() + 300) + "}")}) {
            Response refused = h.lookup("uid", "u-1", wrong);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.reason()).isEqualTo("UNAUTHORIZED");
            assertThat(refused.body().toString()).doesNotContain("u1@example.com");
        }
    }

    @Test
    void aKeyUsedOnlyForAppScopeJwtsOnServerRoutesHasItsDayOfUseNotedAndARefusedOneNothing() {
        Harness h = new Harness();
        io.userhub.shared.model.SigningKey serverKey = new io.userhub.shared.model.SigningKey("server-" + h.app.appId(), "HS256",
                io.userhub.shared.crypto.Hashing.randomToken(), io.userhub.shared.model.SigningKey.Status.ACTIVE, 1);
        h.appStore.addKey(h.app.appId(), serverKey);
        h.wiring.apps().invalidate(h.app.appId());
        io.userhub.shared.store.KeyUses keyUses = new io.userhub.shared.store.KeyUses(h.wiring.dynamo(), h.wiring.tables().users());

        String forged = TestTokens.hs256(serverKey.kid(), "not-the-secret", "{\"scope\":\"app\",\"iat\":" + h.now() + ",\"exp\":" + (h.now() + 300) + "}");
        assertThat(h.lookup("uid", "nobody", forged).status()).isEqualTo(401);
        assertThat(keyUses.lastUsedDays(h.app.appId(), java.util.List.of(serverKey.kid()))).isEmpty();

        String appJwt = TestTokens.hs256(serverKey.kid(), serverKey.secret(), "{\"scope\":\"app\",\"iat\":" + h.now() + ",\"exp\":" + (h.now() + 300) + "}");
        assertThat(h.lookup("uid", "nobody", appJwt).status()).isEqualTo(404);
        assertThat(keyUses.lastUsedDays(h.app.appId(), java.util.List.of(serverKey.kid())))
                .containsEntry(serverKey.kid(), h.now() / 86_400);
    }

    @Test
    void aUserIsFoundByAnyIdentityWithEverythingButTokens() {
        Harness h = new Harness();
        String payload = "{\"identities\":[{\"identifier\":\"uid\",\"value\":\"u-1\"},{\"identifier\":\"email\",\"value\":\"Ada@Example.com\","
                + "\"metadata\":{\"verified\":\"yes\"}}],\"iat\":" + h.now() + "}";
        String session = h.login("phone", h.token(payload)).text("/session_token");
        h.attributes(session, "{\"updates\":[{\"type\":\"global\",\"attributes\":{\"first_name\":\"Ada\",\"new_tags\":[\"vip\"],"
                + "\"custom_user_fields\":{\"plan\":\"gold\"}}},{\"type\":\"app\",\"attributes\":{\"app_version\":\"2.0\"}}]}");

        for (String[] key : new String[][]{{"email", "ada@example.com"}, {"uid", "u-1"}}) {
            Response found = h.lookup(key[0], key[1]);
            assertThat(found.status()).isEqualTo(200);
            assertThat(found.body().at("/user/identities").findValuesAsText("value")).containsExactlyInAnyOrder("u-1", "Ada@Example.com");
            assertThat(found.body().at("/user/identities").findValues("metadata").stream().map(m -> m.path("verified").asText(null))
                    .filter(java.util.Objects::nonNull).toList()).as("the token's metadata").containsExactly("yes");
            assertThat(found.body().at("/user/identities").findValues("verified").stream().filter(v -> v.isBoolean())
                    .allMatch(v -> v.asBoolean())).as("both identities are claimed: verified").isTrue();
            assertThat(found.text("/user/global/first_name")).isEqualTo("Ada");
            assertThat(found.text("/user/custom_user_fields/plan")).isEqualTo("gold");
            assertThat(found.body().at("/user/tags").toString()).isEqualTo("[\"vip\"]");
            assertThat(found.text("/app/attributes/app_version")).isEqualTo("2.0");
            assertThat(found.body().at("/sessions")).hasSize(1);
            assertThat(found.text("/sessions/0/device_id")).isEqualTo("phone");
            assertThat(found.body().toString()).doesNotContain(session).doesNotContain(session.substring(session.indexOf('.') + 1));
        }
    }

    @Test
    void lookupReportsMovesInTheHistory() {
        Harness h = new Harness();
        h.login("d1", h.identitiesToken("uid", "alice", "email", "shared@example.com"));
        h.clock.advance(Duration.ofMinutes(1));
        h.login("d2", h.identitiesToken("uid", "bob", "email", "shared@example.com"));
        Response alice = h.lookup("uid", "alice");
        assertThat(alice.text("/user/identity_history/0/action")).isEqualTo("moved_out");
        assertThat(h.lookup("email", "shared@example.com").text("/user/identity_history/0/action")).isEqualTo("moved_in");
    }

    @Test
    void unknownAndInvalidLookupsAreRefused() {
        Harness h = new Harness();
        assertThat(h.lookup("email", "nobody@example.com").status()).isEqualTo(404);
        assertThat(h.lookup("email", "nobody@example.com").reason()).isEqualTo("USER_NOT_FOUND");
        assertThat(h.lookup("twitter", "x").reason()).isEqualTo("FIELD_INVALID");
        assertThat(h.lookup("email", null).reason()).isEqualTo("FIELD_INVALID");
        assertThat(h.lookup("email", "e".repeat(301)).text("/errors/value")).isEqualTo("VALUE_LENGTH_LIMIT_EXCEEDED");
    }

    @Test
    void endingEverySessionOfAUserLogsOutEveryDevice() {
        Harness h = new Harness();
        String phone = h.sessionFor("phone", "uid", "u-1");
        String laptop = h.sessionFor("laptop", "uid", "u-1");
        String someoneElse = h.sessionFor("tablet", "uid", "u-2");
        String userId = h.session(phone).text("/user/id");

        Response ended = h.endSessions(userId);
        assertThat(ended.status()).isEqualTo(200);
        assertThat(ended.body().get("sessions_ended").asInt()).isEqualTo(2);
        assertThat(h.events).filteredOn(io.userhub.shared.event.DomainEvent.SessionsEnded.class::isInstance)
                .containsExactly(new io.userhub.shared.event.DomainEvent.SessionsEnded(h.app.appId(), h.app.domainId(), h.clock.instant(),
                        userId, 2, io.userhub.shared.event.DomainEvent.SessionsEnded.Cause.END_SESSIONS));
        com.fasterxml.jackson.databind.JsonNode record = h.userAudit(userId, "kind", "sessions_ended").body().at("/records/0");
        assertThat(record.at("/details/cause").asText()).isEqualTo("end_sessions");
        assertThat(record.at("/details/count").asInt()).isEqualTo(2);
        // Nothing left to end: no event, no second record.
        assertThat(h.endSessions(userId).body().get("sessions_ended").asInt()).isZero();
        assertThat(h.events).filteredOn(io.userhub.shared.event.DomainEvent.SessionsEnded.class::isInstance).hasSize(1);
        assertThat(h.userAudit(userId, "kind", "sessions_ended").body().at("/records")).hasSize(1);
        assertThat(h.session(phone).status()).isEqualTo(401);
        assertThat(h.session(laptop).status()).isEqualTo(401);
        assertThat(h.session(someoneElse).status()).isEqualTo(200);
        assertThat(h.lookup("uid", "u-1").body().get("sessions")).isEmpty();
        assertThat(h.endSessions("no-such-user").reason()).isEqualTo("USER_NOT_FOUND");
        assertThat(h.erase("x".repeat(3000)).reason()).isEqualTo("USER_NOT_FOUND");
        assertThat(h.lookup("user_id", "../" + userId).reason()).isEqualTo("USER_NOT_FOUND");
        assertThat(h.lookup("user_id", userId).status()).isEqualTo(200);
    }

    @Test
    void erasingAUserRemovesEverythingAndALaterLoginStartsAfresh() {
        Harness h = new Harness(s -> s.withLoginModes(EnumSet.allOf(LoginMode.class)));
        var body = Json.object().put("device_id", "desk");
        body.putObject("user").put("user_id", "hc-1").put("security_hash", "first-hash").put("email", "hc@example.com");
        Response first = h.login(body);
        String session = first.text("/session_token");
        String userId = first.text("/user/id");
        h.addIdentities(session, h.identitiesToken("email", "erase-me@example.com"));
        h.attributes(session, "{\"updates\":[{\"type\":\"app\",\"attributes\":{\"country\":\"FR\"}}]}");

        Response erased = h.erase(userId);
        assertThat(erased.status()).isEqualTo(200);
        assertThat(erased.body().at("/deleted/profile").asInt()).isEqualTo(1);
        assertThat(erased.body().at("/deleted/identities").asInt()).isEqualTo(2);
        assertThat(erased.body().at("/deleted/sessions").asInt()).isEqualTo(1);
        assertThat(erased.body().at("/deleted/security_hash_pins").asInt()).isEqualTo(1);
        assertThat(erased.body().at("/deleted/app_data").asInt()).isEqualTo(1);
        assertThat(h.storedItems()).noneMatch(item -> item.get("pk").s().contains("#U#" + userId));
        assertThat(h.storedItems()).noneMatch(item -> item.get("pk").s().contains("#PIN#") || item.get("pk").s().contains("#I#"));

        assertThat(h.session(session).status()).isEqualTo(401);
        assertThat(h.lookup("email", "erase-me@example.com").status()).isEqualTo(404);
        body.with("user").put("security_hash", "a-new-hash");
        Response again = h.login(body);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.text("/user/id")).isNotEqualTo(userId);
        assertThat(h.erase(userId).status()).isEqualTo(404);
    }

    @Test
    void theLookupsLastLoginIsTheLatestLoginEvenWhenOnlyTheDevicesItemWasWritten() {
        Harness h = new Harness();
        h.sessionFor("phone", "uid", "returning-later");
        h.clock.advance(java.time.Duration.ofHours(5));
        h.sessionFor("phone", "uid", "returning-later");

        assertThat(h.lookup("uid", "returning-later").text("/user/last_login_at"))
                .isEqualTo(java.time.Instant.ofEpochSecond(h.now()).toString());
    }
}
