package io.userhub.functions.identities;

import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.testkit.TestTokens;
import io.userhub.functions.support.Harness;
import io.userhub.functions.support.Harness.Response;
import io.userhub.shared.store.Items;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(DynamoDbLocalExtension.class)
public class AddIdentitiesIT {

    @Test
    void identitiesAreAddedToTheSessionsUserAndResolveToItLater() {
        Harness h = new Harness();
        String session = h.sessionFor("phone", "uid", "u-1");
        Response added = h.addIdentities(session, h.identitiesToken("email", "later@example.com", "steam_id", "s-99"));

        assertThat(added.status()).isEqualTo(200);
        assertThat(added.body().get("applied").asBoolean()).isTrue();
        assertThat(added.body().get("added").toString()).contains("email", "steam_id");
        assertThat(added.body().at("/user/identities").findValuesAsText("identifier")).containsExactlyInAnyOrder("uid", "email", "steam_id");
        assertThat(h.login("laptop", h.identitiesToken("email", "LATER@example.com")).text("/user/id"))
                .isEqualTo(added.text("/user/id"));
    }

    @Test
    void anAnonymousUserIsANoOpThatSaysSo() {
        Harness h = new Harness();
        String session = h.sessionFor("kiosk");
        Response response = h.addIdentities(session, h.identitiesToken("email", "a@example.com"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().get("applied").asBoolean()).isFalse();
        assertThat(response.text("/reason")).isEqualTo("ANONYMOUS_USER");
        assertThat(h.storedItems()).noneMatch(item -> item.get("pk").s().contains("#I#email#"));
    }

    @Test
    void aNewerTokenMovesAnIdentityFromAnotherProfileWithHistory() {
        Harness h = new Harness();
        String alice = h.login("d1", h.identitiesToken("uid", "alice", "email", "shared@example.com")).text("/user/id");
        h.clock.advance(Duration.ofMinutes(1));
        String bobSession = h.sessionFor("d2", "uid", "bob");
        h.clock.advance(Duration.ofMinutes(1));
        Response moved = h.addIdentities(bobSession, h.identitiesToken("email", "shared@example.com"));

        assertThat(moved.body().get("moved").toString()).contains("email");
        assertThat(Items.map(h.profileItem(alice), "identities")).doesNotContainKey("email:shared@example.com");
        assertThat(h.profileItem(alice).get("identity_history").l()).anySatisfy(e -> assertThat(e.m().get("action").s()).isEqualTo("moved_out"));
        assertThat(h.login("d3", h.identitiesToken("email", "shared@example.com")).text("/user/id")).isEqualTo(moved.text("/user/id"));
    }

    @Test
    void anOlderTokenDoesNotMoveAndAUidNeverChanges() {
        Harness h = new Harness();
        long old = h.now();
        h.clock.advance(Duration.ofMinutes(5));
        String alice = h.login("d1", h.identitiesToken("uid", "alice", "email", "shared@example.com")).text("/user/id");
        String bobSession = h.sessionFor("d2", "uid", "bob");
        Response response = h.addIdentities(bobSession, h.token(TestTokens.identitiesPayload(old, "email", "shared@example.com", "uid", "not-bob")));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().get("not_moved").toString()).contains("email", "uid");
        assertThat(response.body().at("/user/identities").findValuesAsText("value")).containsExactly("bob");
        assertThat(h.login("d3", h.identitiesToken("email", "shared@example.com")).text("/user/id")).isEqualTo(alice);
    }

    @Test
    void theSameTokenRulesAsLoginApplyWithoutUidOrEmailBeingMandatory() {
        Harness h = new Harness();
        String session = h.sessionFor("phone", "uid", "u-1");
        assertThat(h.addIdentities(session, h.identitiesToken("phone_number", "+4930")).status()).isEqualTo(200);

        Response junk = h.addIdentities(session, h.identitiesToken("email", "undefined"));
        assertThat(junk.status()).isEqualTo(400);
        assertThat(junk.body().get("error").asText()).isEqualTo("ADD_USER_IDENTITY_FAILED");
        assertThat(junk.reason()).isEqualTo("IDENTITIES_DATA_INVALID");
        assertThat(junk.text("/errors/email")).isEqualTo("BLOCKED_VALUE");

        assertThat(h.addIdentities(session, "x.y.z").text("/details/cause")).isEqualTo("MALFORMED");
        assertThat(h.addIdentities(session, h.token(TestTokens.identitiesPayload(h.now() - 90_000, "email", "a@b.c"))).text("/details/cause")).isEqualTo("TOO_OLD");
        assertThat(h.addIdentities(session, h.token("{\"identities\":[{\"identifier\":\"email\",\"value\":\"a@b.c\"}]}")).reason()).isEqualTo("IAT_IS_MANDATORY");
        assertThat(h.addIdentities(session, h.token("{\"iat\":" + h.now() + "}")).reason()).isEqualTo("IDENTITIES_KEY_ABSENT");
        assertThat(h.storedItems()).noneMatch(item -> item.get("pk").s().contains("#I#email#"));
    }

    @Test
    void aFullPrivacySessionStoresNoIdentityOtherThanUid() {
        Harness h = new Harness();
        var body = io.userhub.shared.json.Json.object().put("identity_token", h.identitiesToken("uid", "private-1")).put("device_id", "d");
        body.putObject("config").put("full_privacy_enabled", true);
        String session = h.login(body).text("/session_token");
        Response response = h.addIdentities(session, h.identitiesToken("email", "private@example.com", "phone_number", "+100"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().get("not_moved").toString()).contains("email", "phone_number");
        assertThat(response.body().at("/user/identities").findValuesAsText("identifier")).containsExactly("uid");
        assertThat(h.storedItems()).noneMatch(item -> item.get("pk").s().contains("#I#email#") || item.get("pk").s().contains("#I#phone_number#"));
    }

    @Test
    void aUserNeverGathersMoreThanThirtyIdentities() {
        Harness h = new Harness();
        String session = h.sessionFor("phone", "uid", "u-1");
        String[] twentyNine = new String[58];
        for (int i = 0; i < 29; i++) {
            twentyNine[2 * i] = "email";
            twentyNine[2 * i + 1] = "a" + i + "@example.com";
        }
        assertThat(h.addIdentities(session, h.identitiesToken(twentyNine)).status()).isEqualTo(200);
        Response oneMore = h.addIdentities(session, h.identitiesToken("email", "thirty-one@example.com"));
        assertThat(oneMore.status()).isEqualTo(400);
        assertThat(oneMore.reason()).isEqualTo("IDENTITIES_SIZE_LIMIT_EXCEEDED");
        assertThat(oneMore.body().at("/details/currentIdentities").asInt()).isEqualTo(30);
        assertThat(h.storedItems()).noneMatch(item -> item.get("pk").s().contains("#I#email#")
                && "CLAIM".equals(item.get("sk").s()) && item.get("pk").s().endsWith(io.userhub.shared.crypto.Hashing.sha256Hex("thirty-one@example.com")));
    }

    @Test
    void aJtiTokenAddsOnce() {
        Harness h = new Harness();
        String session = h.sessionFor("phone", "uid", "u-1");
        String token = h.token("{\"identities\":[{\"identifier\":\"email\",\"value\":\"j@example.com\"}],\"iat\":" + h.now() + ",\"jti\":\"add-once\"}");
        assertThat(h.addIdentities(session, token).status()).isEqualTo(200);
        assertThat(h.addIdentities(session, token).text("/details/cause")).isEqualTo("REPLAYED");
    }

    @Test
    void addingIdentitiesCostsThreeSequentialRoundTrips() {
        Harness h = new Harness();
        String session = h.sessionFor("phone", "uid", "u-1");
        h.recorder.reset();
        h.addIdentities(session, h.identitiesToken("email", "rt@example.com"));
        assertThat(h.recorder.sequentialRoundTrips()).isEqualTo(3);
        assertThat(h.recorder.operations()).containsExactlyInAnyOrder("UpdateItem", "BatchGetItem", "GetItem", "TransactWriteItems");
    }
}
