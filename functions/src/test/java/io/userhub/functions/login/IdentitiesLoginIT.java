package io.userhub.functions.login;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.testkit.ApiEvents;
import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.testkit.TestTokens;
import io.userhub.functions.support.Harness;
import io.userhub.functions.support.Harness.Response;
import io.userhub.shared.json.Json;
import io.userhub.shared.model.AnonymousPolicy;
import io.userhub.shared.store.Items;
import io.userhub.shared.store.Keys;
import io.userhub.shared.store.SessionStore;
import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.store.UserStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(DynamoDbLocalExtension.class)
public class IdentitiesLoginIT {

    private Map<String, AttributeValue> profileItem(Harness h, String userId) {
        return h.wiring.dynamo().getItem(GetItemRequest.builder().tableName(h.wiring.tables().users())
                .key(io.userhub.shared.store.ProfileItem.key(h.app.domainId(), userId)).consistentRead(true).build()).item();
    }

    @Test
    void newUserGetsAProfileAndASessionWithTheAppsLifetimes() {
        Harness h = new Harness();
        Response response = h.login("device-1", h.identitiesToken("uid", "u-1", "email", "Ada@Example.com"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text("/session_token")).hasSizeGreaterThanOrEqualTo(43);
        assertThat(response.text("/user/anonymous")).isEqualTo("false");
        assertThat(response.text("/user/display_name")).isNotBlank();
        assertThat(response.body().at("/user/identities")).hasSize(2);
        assertThat(Instant.parse(response.text("/session/expires_at"))).isEqualTo(Harness.START.plus(Duration.ofHours(24)));
        assertThat(Instant.parse(response.text("/session/refresh_at"))).isEqualTo(Harness.START.plus(Duration.ofHours(24)).minus(Duration.ofMinutes(30)));
    }

    @Test
    void returningUserKeepsTheSameProfileOnAnyDevice() {
        Harness h = new Harness();
        String first = h.login("device-1", h.identitiesToken("uid", "u-1")).text("/user/id");
        h.clock.advance(Duration.ofHours(3));
        Response again = h.login("device-2", h.identitiesToken("uid", "u-1", "phone_number", "+4930123"));

        assertThat(again.text("/user/id")).isEqualTo(first);
        assertThat(again.body().at("/user/identities").findValuesAsText("identifier")).containsExactlyInAnyOrder("uid", "phone_number");
    }

    @Test
    void withoutUidEmailDecidesCaseInsensitively() {
        Harness h = new Harness();
        String first = h.login("d1", h.identitiesToken("email", "Ada@Example.com")).text("/user/id");
        String second = h.login("d2", h.identitiesToken("email", "ada@EXAMPLE.com")).text("/user/id");
        assertThat(second).isEqualTo(first);
    }

    @Test
    void firstUidLoginAdoptsTheProfileKnownByEmailOnly() {
        Harness h = new Harness();
        String byEmail = h.login("d1", h.identitiesToken("email", "ada@example.com")).text("/user/id");
        h.clock.advance(Duration.ofMinutes(1));
        String withUid = h.login("d1", h.identitiesToken("uid", "u-ada", "email", "ada@example.com")).text("/user/id");
        assertThat(withUid).isEqualTo(byEmail);
    }

    @Test
    void newerTokenMovesAnEmailToAnotherUidAndBothProfilesKeepTheMove() {
        Harness h = new Harness();
        String alice = h.login("d1", h.identitiesToken("uid", "alice", "email", "shared@example.com")).text("/user/id");
        h.clock.advance(Duration.ofMinutes(5));
        Response bob = h.login("d2", h.identitiesToken("uid", "bob", "email", "shared@example.com"));

        assertThat(bob.text("/user/id")).isNotEqualTo(alice);
        assertThat(bob.body().at("/user/identities").findValuesAsText("value")).contains("shared@example.com");
        assertThat(h.login("d3", h.identitiesToken("email", "shared@example.com")).text("/user/id")).isEqualTo(bob.text("/user/id"));

        Map<String, AttributeValue> aliceItem = profileItem(h, alice);
        assertThat(Items.map(aliceItem, "identities").keySet()).containsExactly("uid:alice");
        assertThat(aliceItem.get("identity_history").l()).anySatisfy(entry ->
                assertThat(entry.m().get("action").s()).isEqualTo("moved_out"));
        assertThat(profileItem(h, bob.text("/user/id")).get("identity_history").l()).anySatisfy(entry ->
                assertThat(entry.m().get("action").s()).isEqualTo("moved_in"));
    }

    @Test
    void olderTokenDoesNotMoveAnIdentityAndSaysSo() {
        Harness h = new Harness();
        long old = h.now();
        h.clock.advance(Duration.ofMinutes(10));
        String alice = h.login("d1", h.identitiesToken("uid", "alice", "email", "shared@example.com")).text("/user/id");
        Response bob = h.login("d2", h.token(TestTokens.identitiesPayload(old, "uid", "bob", "email", "shared@example.com")));

        assertThat(bob.status()).isEqualTo(200);
        assertThat(bob.body().get("identities_not_moved").get(0).asText()).isEqualTo("email");
        assertThat(h.login("d3", h.identitiesToken("email", "shared@example.com")).text("/user/id")).isEqualTo(alice);
    }

    @Test
    void uidNeverMoves() {
        Harness h = new Harness();
        String alice = h.login("d1", h.identitiesToken("uid", "alice", "email", "a@example.com")).text("/user/id");
        h.clock.advance(Duration.ofMinutes(1));
        Response again = h.login("d2", h.identitiesToken("uid", "alice", "email", "b@example.com"));
        assertThat(again.text("/user/id")).isEqualTo(alice);
    }

    @Test
    void fullPrivacyKeepsOnlyTheUid() {
        Harness h = new Harness();
        ObjectNode body = Json.object().put("identity_token", h.identitiesToken("uid", "private-1", "email", "p@example.com"))
                .put("device_id", "d1");
        body.putObject("config").put("full_privacy_enabled", true);
        Response response = h.login(body);

        assertThat(response.body().at("/user/identities").findValuesAsText("identifier")).containsExactly("uid");
        assertThat(h.storedItems()).noneMatch(item -> item.get("pk").s().contains("#I#email#"));
    }

    @Test
    void fullPrivacyWithoutUidMakesAnAnonymousUser() {
        Harness h = new Harness();
        ObjectNode body = Json.object().put("identity_token", h.identitiesToken("email", "p@example.com")).put("device_id", "d1");
        body.putObject("config").put("full_privacy_enabled", "true");
        Response response = h.login(body);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text("/user/anonymous")).isEqualTo("true");
        assertThat(response.body().at("/user/identities")).isEmpty();
    }

    @Test
    void emptyTokenKeepsOneAnonymousUserPerDevice() {
        Harness h = new Harness();
        Response first = h.login("phone", "");
        Response second = h.login("phone", "");
        Response other = h.login("tablet", "");

        assertThat(first.text("/user/anonymous")).isEqualTo("true");
        assertThat(first.text("/user/display_name")).endsWith(" (anonym)");
        assertThat(second.text("/user/id")).isEqualTo(first.text("/user/id"));
        assertThat(second.text("/user/display_name")).isEqualTo(first.text("/user/display_name"));
        assertThat(other.text("/user/id")).isNotEqualTo(first.text("/user/id"));
    }

    @Test
    void discardPolicyStartsANewAnonymousUserAfterAnIdentifiedLogin() {
        Harness h = new Harness();
        String anonymous = h.login("phone", "").text("/user/id");
        h.login("phone", h.identitiesToken("uid", "u-1"));
        String next = h.login("phone", "").text("/user/id");
        assertThat(next).isNotEqualTo(anonymous);
        assertThat(profileItem(h, anonymous).get("merged_into")).isNull();
    }

    private static ObjectNode loginBody(String deviceId, String token, Object clearAnonymousUserOnLogin) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("device_id", deviceId).put("identity_token", token);
        if (clearAnonymousUserOnLogin != null) {
            body.set("config", Json.MAPPER.valueToTree(Map.of("clear_anonymous_user_on_login", clearAnonymousUserOnLogin)));
        }
        return body;
    }

    @Test
    void clearAnonymousUserOnLoginFalseKeepsTheDevicesAnonymousUserThroughAnIdentifiedSession() {
        Harness h = new Harness();
        String anonymous = h.login("phone", "").text("/user/id");
        Response identified = h.login(loginBody("phone", h.identitiesToken("uid", "u-keep"), false));
        assertThat(identified.status()).isEqualTo(200);
        assertThat(identified.text("/user/id")).isNotEqualTo(anonymous);
        assertThat(h.logout(identified.text("/session_token")).status()).isEqualTo(200);

        Response back = h.login("phone", "");
        assertThat(back.text("/user/id")).as("Web Chat: back to the previous anonymous user").isEqualTo(anonymous);
        assertThat(back.text("/user/anonymous")).isEqualTo("true");

        // The default (and "true") forgets it: the next anonymous login is a new user.
        Response cleared = h.login(loginBody("phone", h.identitiesToken("uid", "u-keep"), "true"));
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(h.login("phone", "").text("/user/id")).isNotEqualTo(anonymous);
    }

    @Test
    void clearAnonymousUserOnLoginIsHonouredInTheUserIdModeToo() {
        Harness h = new Harness(s -> s.withLoginModes(java.util.EnumSet.allOf(io.userhub.shared.model.LoginMode.class)));
        String anonymous = h.login("laptop", "").text("/user/id");
        ObjectNode body = Json.MAPPER.createObjectNode().put("device_id", "laptop");
        body.putObject("user").put("user_id", "hc-keep");
        body.putObject("config").put("clear_anonymous_user_on_login", false);
        Response identified = h.login(body);
        assertThat(identified.status()).as(identified.body().toString()).isEqualTo(200);
        assertThat(h.logout(identified.text("/session_token")).status()).isEqualTo(200);
        assertThat(h.login("laptop", "").text("/user/id")).isEqualTo(anonymous);
    }

    @Test
    void aMergedAnonymousUserIsNeverKeptWhateverTheConfigSays() {
        Harness h = new Harness(s -> s.withAnonymousPolicy(AnonymousPolicy.MERGE));
        String anonymous = h.login("phone", "").text("/user/id");
        h.login(loginBody("phone", h.identitiesToken("uid", "u-merged"), false));
        assertThat(profileItem(h, anonymous).get("merged_into")).isNotNull();
        assertThat(h.login("phone", "").text("/user/id")).isNotEqualTo(anonymous);
    }

    @Test
    void aClearAnonymousUserOnLoginThatIsNotABooleanIsRefusedAndWritesNothing() {
        Harness h = new Harness();
        Response refused = h.login(loginBody("phone", h.identitiesToken("uid", "u-typo"), "no"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.reason()).isEqualTo("LOGIN_CONFIG_INVALID");
        assertThat(refused.body().at("/errors/clear_anonymous_user_on_login").asText()).isEqualTo("INVALID_VALUE_TYPE");
        assertThat(h.storedItemsBesidesAudit()).isEmpty();
    }

    @Test
    void mergePolicyMergesTheAnonymousUsersDataIntoTheIdentifiedUser() {
        Harness h = new Harness(s -> s.withAnonymousPolicy(AnonymousPolicy.MERGE));
        String identified = h.login("laptop", h.identitiesToken("uid", "u-merge")).text("/user/id");
        h.wiring.dynamo().updateItem(UpdateItemRequest.builder().tableName(h.wiring.tables().users())
                .key(io.userhub.shared.store.ProfileItem.key(h.app.domainId(), identified))
                .updateExpression("SET #g.#city = :berlin").expressionAttributeNames(Map.of("#g", "global", "#city", "last_city"))
                .expressionAttributeValues(Map.of(":berlin", Items.s("Berlin"))).build());
        String anonymous = h.login("phone", "").text("/user/id");
        h.wiring.dynamo().updateItem(UpdateItemRequest.builder().tableName(h.wiring.tables().users())
                .key(io.userhub.shared.store.ProfileItem.key(h.app.domainId(), anonymous))
                .updateExpression("SET #g.#name = :name, #g.#city = :paris, #t.#trial = :yes")
                .expressionAttributeNames(Map.of("#g", "global", "#name", "first_name", "#city", "last_city", "#t", "tags", "#trial", "trial"))
                .expressionAttributeValues(Map.of(":name", Items.s("Ada"), ":paris", Items.s("Paris"), ":yes", Items.bool(true)))
                .build());

        h.wiring.dynamo().updateItem(UpdateItemRequest.builder().tableName(h.wiring.tables().users())
                .key(Items.key(io.userhub.shared.store.Keys.userPartition(h.app.domainId(), anonymous), "APP#" + h.app.appId()))
                .updateExpression("SET #c = :fr, #app = :app").expressionAttributeNames(Map.of("#c", "a:country", "#app", "app_id"))
                .expressionAttributeValues(Map.of(":fr", Items.s("FR"), ":app", Items.s(h.app.appId()))).build());

        h.clock.advance(Duration.ofMinutes(1));
        assertThat(h.login("phone", h.identitiesToken("uid", "u-merge")).text("/user/id")).isEqualTo(identified);
        assertThat(h.appItem(identified).get("a:country").s()).isEqualTo("FR");

        Map<String, AttributeValue> merged = profileItem(h, identified);
        assertThat(Items.map(merged, "global")).containsEntry("first_name", Items.s("Ada")).containsEntry("last_city", Items.s("Berlin"));
        assertThat(Items.map(merged, "tags")).containsOnlyKeys("trial");
        assertThat(profileItem(h, anonymous).get("merged_into").s()).isEqualTo(identified);
        assertThat(h.login("phone", "").text("/user/id")).isNotEqualTo(anonymous);
    }

    @Test
    void aNewLoginOnTheSameDeviceEndsThePreviousSession() {
        Harness h = new Harness();
        SessionStore sessions = new SessionStore(h.wiring.dynamo(), h.wiring.tables().sessions());
        String firstToken = h.login("phone", h.identitiesToken("uid", "u-1")).text("/session_token");
        assertThat(sessions.findActive(io.userhub.shared.session.SessionTokens.parse(firstToken).orElseThrow(), h.clock.instant())).isPresent();
        String secondToken = h.login("phone", h.identitiesToken("uid", "u-2")).text("/session_token");

        assertThat(sessions.findActive(io.userhub.shared.session.SessionTokens.parse(firstToken).orElseThrow(), h.clock.instant())).isEmpty();
        assertThat(sessions.findActive(io.userhub.shared.session.SessionTokens.parse(secondToken).orElseThrow(), h.clock.instant())).isPresent();
    }

    @Test
    void aLoginCarryingASessionTokenReplacesThatSession() {
        Harness h = new Harness();
        SessionStore sessions = new SessionStore(h.wiring.dynamo(), h.wiring.tables().sessions());
        String old = h.login("browser-a", h.identitiesToken("uid", "u-1")).text("/session_token");
        Response replaced = h.login(ApiEvents.login(h.app.appId()).bearer(old)
                .body(Json.write(Json.object().put("identity_token", h.identitiesToken("uid", "u-2")).put("device_id", "browser-a"))));

        assertThat(replaced.status()).isEqualTo(200);
        assertThat(sessions.findActive(io.userhub.shared.session.SessionTokens.parse(old).orElseThrow(), h.clock.instant())).isEmpty();
        assertThat(sessions.findActive(io.userhub.shared.session.SessionTokens.parse(replaced.text("/session_token")).orElseThrow(), h.clock.instant())).isPresent();
    }

    @Test
    void sessionTokensAreStoredOnlyAsHashes() {
        Harness h = new Harness();
        String token = h.login("phone", h.identitiesToken("uid", "u-1")).text("/session_token");
        assertThat(h.storedItems()).allSatisfy(item -> item.values().forEach(value ->
                assertThat(String.valueOf(value.s())).doesNotContain(token)));
        String secret = token.substring(token.lastIndexOf('.') + 1);
        assertThat(h.storedItems()).allSatisfy(item -> item.values().forEach(value ->
                assertThat(String.valueOf(value.s())).doesNotContain(secret)));
        assertThat(h.storedItems()).anyMatch(item -> item.containsKey("secret_hash")
                && item.get("secret_hash").s().equals(Hashing.sha256Hex(secret)));
    }

    @Test
    void identityValuesAreKeyedByDigestNotInClear() {
        Harness h = new Harness();
        h.login("phone", h.identitiesToken("uid", "u-1", "email", "secret@example.com"));
        assertThat(h.storedItems()).allSatisfy(item -> assertThat(item.get("pk").s()).doesNotContain("secret@example.com"));
    }

    @Test
    void metadataFromTheLatestTokenIsKept() {
        Harness h = new Harness();
        String payload = "{\"identities\":[{\"identifier\":\"uid\",\"value\":\"u-1\",\"metadata\":{\"plan\":\"pro\"}}],\"iat\":" + h.now() + "}";
        Response response = h.login("phone", h.token(payload));
        assertThat(response.text("/user/identities/0/metadata/plan")).isEqualTo("pro");
        UserStore users = new UserStore(h.wiring.dynamo(), h.wiring.tables().users());
        assertThat(users.findProfile(h.app.domainId(), response.text("/user/id")).orElseThrow().identities().get(0).metadata())
                .containsEntry("plan", "pro");
    }
}
