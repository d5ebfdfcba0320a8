package io.userhub.functions.mint;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.testkit.ApiEvents;
import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.testkit.TestApps;
import io.userhub.testkit.TestTokens;
import io.userhub.functions.support.Harness;
import io.userhub.functions.support.Harness.Response;
import io.userhub.shared.json.Json;
import io.userhub.shared.crypto.Hashing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Base64;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(DynamoDbLocalExtension.class)
public class MintHandlerIT {

    private static ObjectNode identities(String... pairs) {
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("identities");
        for (int i = 0; i < pairs.length; i += 2) {
            list.addObject().put("identifier", pairs[i]).put("value", pairs[i + 1]);
        }
        return body;
    }

    private static ObjectNode payloadOf(String token) {
        return Json.parseObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8)).orElseThrow();
    }

    @Test
    void aMintedIdentitiesTokenLogsIn() {
        Harness h = new Harness();
        Response minted = h.mint(identities("uid", "u-1", "email", "u1@example.com"));
        assertThat(minted.status()).isEqualTo(200);
        assertThat(minted.text("/kid")).isEqualTo(h.app.kid());
        assertThat(payloadOf(minted.text("/token")).get("iat").asLong()).isEqualTo(h.now());

        Response login = h.login("d", minted.text("/token"));
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.body().at("/user/identities").findValuesAsText("value")).containsExactlyInAnyOrder("u-1", "u1@example.com");
    }

    @Test
    void aMintedExternalIdTokenLogsIn() {
        Harness h = new Harness();
        Response minted = h.mint(Json.object().put("external_id", "cust-1"));
        assertThat(minted.text("/type")).isEqualTo("external_id");
        Response login = h.login(Json.object().put("external_id", "cust-1").put("jwt", minted.text("/token")).put("device_id", "d"));
        assertThat(login.status()).isEqualTo(200);
    }

    @Test
    void mintingRefusesWhatLoginRefusesWithTheSameReasons() {
        Harness h = new Harness();
        String[][] cases = {
                {"uid", "null"},
                {"email", "e".repeat(301)},
                {"phone_number", "+100"},
                {"twitter_id", "x"},
        };
        for (String[] identity : cases) {
            Response minted = h.mint(identities(identity));
            Response login = h.login("d", h.identitiesToken(identity));
            assertThat(minted.status()).as(identity[0]).isEqualTo(login.status()).isEqualTo(400);
            assertThat(minted.reason()).isEqualTo(login.reason());
            assertThat(minted.body().get("errors")).isEqualTo(login.body().get("errors"));
            assertThat(minted.body().get("error").asText()).isEqualTo("TOKEN_MINT_FAILED");
        }
        assertThat(h.mint(Json.object()).reason()).isEqualTo("IDENTITIES_KEY_ABSENT");
        assertThat(h.mint(Json.object().put("external_id", 42)).reason()).isEqualTo("EXTERNAL_ID_INVALID");
    }

    @Test
    void fullPrivacyMintingNeedsNoUidOrEmail() {
        Harness h = new Harness();
        ObjectNode body = identities("phone_number", "+100").put("full_privacy_enabled", true);
        assertThat(h.mint(body).status()).isEqualTo(200);
    }

    @Test
    void expiryIsBoundedByTheTokenMaxAge() {
        Harness h = new Harness();
        Response ok = h.mint(identities("uid", "u").put("expires_in", 3600));
        assertThat(payloadOf(ok.text("/token")).get("exp").asLong()).isEqualTo(h.now() + 3600);
        Response tooLong = h.mint(identities("uid", "u").put("expires_in", 86_401));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.reason()).isEqualTo("FIELD_INVALID");
    }

    @Test
    void singleUseTokensCarryAJtiThatLoginConsumes() {
        Harness h = new Harness();
        String token = h.mint(identities("uid", "u").put("single_use", true)).text("/token");
        assertThat(payloadOf(token).get("jti").asText()).isNotBlank();
        assertThat(h.login("d", token).status()).isEqualTo(200);
        assertThat(h.login("d", token).text("/details/cause")).isEqualTo("REPLAYED");
    }

    @Test
    void backendsAuthenticateWithTheirOwnAppsApiKeyOrAnAppScopeJwt() {
        Harness h = new Harness();
        Harness other = new Harness();
        String body = Json.write(identities("uid", "u"));

        assertThat(h.invoke(ApiEvents.mint(h.app.appId()).body(body).build(), h.mintHandler).status()).isEqualTo(401);
        Response wrongKey = h.invoke(ApiEvents.mint(h.app.appId()).bearer("uh_" + Hashing.randomToken()).body(body).build(), h.mintHandler);
        assertThat(wrongKey.status()).isEqualTo(401);
        assertThat(wrongKey.reason()).isEqualTo("UNAUTHORIZED");
        assertThat(h.invoke(ApiEvents.mint(h.app.appId()).bearer(other.app.apiKey()).body(body).build(), h.mintHandler).status()).isEqualTo(401);

        String appJwt = TestTokens.hs256(h.app.kid(), h.app.secret(), "{\"scope\":\"app\",\"iat\":" + h.now() + ",\"exp\":" + (h.now() + 300) + "}");
        assertThat(h.invoke(ApiEvents.mint(h.app.appId()).bearer(appJwt).body(body).build(), h.mintHandler).status()).isEqualTo(200);
        String userJwt = TestTokens.hs256(h.app.kid(), h.app.secret(), "{\"scope\":\"user\",\"iat\":" + h.now() + "}");
        assertThat(h.invoke(ApiEvents.mint(h.app.appId()).bearer(userJwt).body(body).build(), h.mintHandler).status()).isEqualTo(401);
        String otherAppsJwt = TestTokens.hs256(other.app.kid(), other.app.secret(), "{\"scope\":\"app\",\"iat\":" + h.now() + ",\"exp\":" + (h.now() + 300) + "}");
        assertThat(h.invoke(ApiEvents.mint(h.app.appId()).bearer(otherAppsJwt).body(body).build(), h.mintHandler).status()).isEqualTo(401);
    }

    @Test
    void disabledAppsAndAppsWithoutActiveKeysCannotMint() {
        Harness h = new Harness();
        Harness disabled = new Harness(TestApps.create(h.appStore, "dom-x-" + h.app.appId(), false, s -> s));
        assertThat(disabled.mint(identities("uid", "u")).reason()).isEqualTo("IDENTITY_FEATURE_NOT_ENABLED");

        h.appStore.retireKey(h.app.appId(), h.app.kid());
        Harness fresh = new Harness(h.app);
        Response response = fresh.mint(identities("uid", "u"));
        assertThat(response.status()).isEqualTo(409);
        assertThat(response.reason()).isEqualTo("NO_ACTIVE_KEY");
    }

    @Test
    void unknownAppIsNotFound() {
        Harness h = new Harness();
        Response response = h.invoke(ApiEvents.post("/v1/apps/{appId}/tokens", "/v1/apps/ghost/tokens").pathParameter("appId", "ghost")
                .bearer(h.app.apiKey()).body("{}").build(), h.mintHandler);
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.reason()).isEqualTo("APP_NOT_FOUND");
    }
}
