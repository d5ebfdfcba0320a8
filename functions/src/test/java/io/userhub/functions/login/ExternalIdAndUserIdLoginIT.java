package io.userhub.functions.login;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.testkit.TestTokens;
import io.userhub.functions.support.Harness;
import io.userhub.functions.support.Harness.Response;
import io.userhub.shared.json.Json;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.LoginMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(DynamoDbLocalExtension.class)
public class ExternalIdAndUserIdLoginIT {

    private static AppSettings allModes(AppSettings s) {
        return s.withLoginModes(EnumSet.allOf(LoginMode.class));
    }

    private static Response externalLogin(Harness h, Object externalId, String jwt) {
        ObjectNode body = Json.object().put("jwt", jwt).put("device_id", "d-ext");
        body.set("external_id", Json.MAPPER.valueToTree(externalId));
        return h.login(body);
    }

    private static String sunshineToken(Harness h, String payload) {
        return TestTokens.hs256(h.app.kid(), h.app.secret(), payload);
    }

    @Test
    void externalIdJwtLogsInAndIsTheSamePersonAsTheUid() {
        Harness h = new Harness();
        Response external = externalLogin(h, "cust-7", sunshineToken(h, "{\"iat\":" + h.now() + ",\"scope\":\"user\",\"external_id\":\"cust-7\"}"));
        assertThat(external.status()).isEqualTo(200);
        assertThat(external.body().at("/user/identities/0/identifier").asText()).isEqualTo("uid");
        Response viaIdentities = h.login("d2", h.identitiesToken("uid", "cust-7"));
        assertThat(viaIdentities.text("/user/id")).isEqualTo(external.text("/user/id"));
    }

    @Test
    void externalIdMustBeAStringEqualToTheBodys() {
        Harness h = new Harness();
        Response numeric = externalLogin(h, "42", sunshineToken(h, "{\"iat\":" + h.now() + ",\"scope\":\"user\",\"external_id\":42}"));
        assertThat(numeric.status()).isEqualTo(401);
        assertThat(numeric.reason()).isEqualTo("EXTERNAL_ID_INVALID");
        assertThat(numeric.text("/errors/external_id")).isEqualTo("INVALID_VALUE_TYPE");

        Response mismatch = externalLogin(h, "someone-else", sunshineToken(h, "{\"iat\":" + h.now() + ",\"scope\":\"user\",\"external_id\":\"cust-7\"}"));
        assertThat(mismatch.reason()).isEqualTo("EXTERNAL_ID_INVALID");
        assertThat(mismatch.text("/errors/external_id")).isEqualTo("INVALID_VALUE");

        Response wrongScope = externalLogin(h, "cust-7", sunshineToken(h, "{\"iat\":" + h.now() + ",\"scope\":\"app\",\"external_id\":\"cust-7\"}"));
        assertThat(wrongScope.reason()).isEqualTo("EXTERNAL_ID_INVALID");
        assertThat(wrongScope.text("/errors/scope")).isEqualTo("INVALID_VALUE");

        Response numericInBody = externalLogin(h, 42, sunshineToken(h, "{\"iat\":" + h.now() + ",\"scope\":\"user\",\"external_id\":\"42\"}"));
        assertThat(numericInBody.reason()).isEqualTo("EXTERNAL_ID_INVALID");
        assertThat(h.storedItemsBesidesAudit()).isEmpty();
    }

    @Test
    void externalIdJwtNeedsAKnownKid() {
        Harness h = new Harness();
        Response noKid = externalLogin(h, "cust-7", TestTokens.hs256(null, h.app.secret(), "{\"iat\":" + h.now() + ",\"scope\":\"user\",\"external_id\":\"cust-7\"}"));
        assertThat(noKid.reason()).isEqualTo("IDENTITY_TOKEN_INVALID");
        assertThat(noKid.text("/details/cause")).isEqualTo("UNKNOWN_KEY");
    }

    @Test
    void externalIdJwtExpiryIsHonoured() {
        Harness h = new Harness();
        Response expired = externalLogin(h, "cust-7", sunshineToken(h,
                "{\"iat\":" + h.now() + ",\"scope\":\"user\",\"external_id\":\"cust-7\",\"exp\":" + (h.now() - 3600) + "}"));
        assertThat(expired.text("/details/cause")).isEqualTo("EXPIRED");
        Response valid = externalLogin(h, "cust-7", sunshineToken(h,
                "{\"iat\":" + h.now() + ",\"scope\":\"user\",\"external_id\":\"cust-7\",\"exp\":" + (h.now() + 3600) + "}"));
        assertThat(valid.status()).isEqualTo(200);
    }

    @Test
    void userIdModeIsOffByDefault() {
        Harness h = new Harness();
        ObjectNode body = Json.object().put("device_id", "d");
        body.putObject("user").put("user_id", "hc-1");
        Response response = h.login(body);
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.reason()).isEqualTo("LOGIN_MODE_DISABLED");
    }

    private static Response userIdLogin(Harness h, String device, String userId, String securityHash, String name) {
        ObjectNode body = Json.object().put("device_id", device);
        ObjectNode user = body.putObject("user").put("user_id", userId).put("email", "hc@example.com");
        if (securityHash != null) {
            user.put("security_hash", securityHash);
        }
        if (name != null) {
            user.put("name", name);
        }
        return h.login(body);
    }

    @Test
    void userIdLoginFollowsTheUserAcrossDevicesAndKeepsItsName() {
        Harness h = new Harness(ExternalIdAndUserIdLoginIT::allModes);
        Response desktop = userIdLogin(h, "desktop", "hc-1", null, "Ada Lovelace");
        Response laptop = userIdLogin(h, "laptop", "hc-1", null, null);
        assertThat(laptop.text("/user/id")).isEqualTo(desktop.text("/user/id"));
        assertThat(laptop.text("/user/display_name")).isEqualTo("Ada Lovelace");
    }

    @Test
    void userIdWithoutNameGetsARandomName() {
        Harness h = new Harness(ExternalIdAndUserIdLoginIT::allModes);
        assertThat(userIdLogin(h, "desktop", "hc-2", null, null).text("/user/display_name")).matches("[A-Z][a-z]+ [A-Z][a-z]+");
    }

    @Test
    void securityHashIsStickyOnceAccepted() {
        Harness h = new Harness(ExternalIdAndUserIdLoginIT::allModes);
        assertThat(userIdLogin(h, "d1", "hc-3", null, null).status()).isEqualTo(200);
        assertThat(userIdLogin(h, "d1", "hc-3", "hash-A", null).status()).isEqualTo(200);
        assertThat(userIdLogin(h, "d2", "hc-3", "hash-A", null).status()).isEqualTo(200);

        Response wrong = userIdLogin(h, "d3", "hc-3", "hash-B", null);
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.reason()).isEqualTo("SECURITY_HASH_MISMATCH");
        Response missing = userIdLogin(h, "d3", "hc-3", null, null);
        assertThat(missing.status()).isEqualTo(403);
        assertThat(missing.reason()).isEqualTo("SECURITY_HASH_MISMATCH");
        // refused logins wrote nothing: not even the device's item
        assertThat(h.storedItems()).noneMatch(item -> item.get("pk").s().equals(io.userhub.shared.store.SessionStore.deviceKey(h.app.appId(), "d3")));
        assertThat(h.storedItems()).anyMatch(item -> item.get("pk").s().equals(io.userhub.shared.store.SessionStore.deviceKey(h.app.appId(), "d2")));
    }

    @Test
    void userIdWithoutUserIdIsAnAnonymousVisitor() {
        Harness h = new Harness(ExternalIdAndUserIdLoginIT::allModes);
        ObjectNode body = Json.object().put("device_id", "visitor");
        body.putObject("user").put("name", "Someone");
        Response response = h.login(body);
        assertThat(response.text("/user/anonymous")).isEqualTo("true");
    }

    @Test
    void junkUserIdIsRefused() {
        Harness h = new Harness(ExternalIdAndUserIdLoginIT::allModes);
        Response response = userIdLogin(h, "d", "undefined", null, null);
        assertThat(response.reason()).isEqualTo("IDENTITIES_DATA_INVALID");
        assertThat(response.text("/errors/user_id")).isEqualTo("BLOCKED_VALUE");
    }
}
