package io.userhub.functions.login;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.testkit.ApiEvents;
import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.testkit.TestApps;
import io.userhub.testkit.TestTokens;
import io.userhub.functions.fallback.NotFoundHandler;
import io.userhub.functions.support.Harness;
import io.userhub.functions.support.Harness.Response;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.json.Json;
import io.userhub.shared.model.LoginMode;
import io.userhub.shared.store.Tables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every reason login can return, produced through the handler; and after each refusal, nothing
 * of the app or its domain is in DynamoDB but the audit record of that minute's refusals.
 */
@ExtendWith(DynamoDbLocalExtension.class)
public class LoginRejectionsIT {
    private Harness h = new Harness();

    @AfterEach
    void nothingWasWrittenButTheRefusalsRecord() {
        if (h != null) {
            assertThat(h.storedItemsBesidesAudit()).as("items written by a refused login").isEmpty();
            // The one thing a refusal past the request's shape leaves: its minute's audit record, about no one (AuditIT).
            assertThat(h.auditItems()).allSatisfy(item -> {
                assertThat(item.get("pk").s()).isEqualTo("A#" + h.app.appId() + "#AUDIT#login");
                assertThat(item.get("details").m().get("outcome").s()).isEqualTo("refused");
                assertThat(item).doesNotContainKeys("user_id", "audit_user");
            });
        }
    }

    private Response loginWith(String token) {
        return h.login("device-1", token);
    }

    private static void assertFailure(Response response, int status, String reason) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.body().path("error").asText()).isEqualTo("LOGIN_FAILED");
        assertThat(response.reason()).isEqualTo(reason);
        assertThat(response.body().path("request_id").asText()).isNotBlank();
    }

    private void assertTokenInvalid(Response response, String cause) {
        assertFailure(response, 401, "IDENTITY_TOKEN_INVALID");
        assertThat(response.text("/details/cause")).isEqualTo(cause);
    }

    @Test
    void iatIsMandatory() {
        assertFailure(loginWith(h.token("{\"identities\":[{\"identifier\":\"uid\",\"value\":\"u\"}]}")), 400, "IAT_IS_MANDATORY");
    }

    @Test
    void identitiesKeyAbsent() {
        assertFailure(loginWith(h.token("{\"iat\":" + h.now() + "}")), 400, "IDENTITIES_KEY_ABSENT");
    }

    @Test
    void identitiesDataInvalidNamesTheKeyAndCode() {
        Response response = loginWith(h.identitiesToken("uid", "u".repeat(751), "email", "null"));
        assertFailure(response, 400, "IDENTITIES_DATA_INVALID");
        assertThat(response.text("/errors/uid")).isEqualTo("VALUE_LENGTH_LIMIT_EXCEEDED");
        assertThat(response.text("/errors/email")).isEqualTo("BLOCKED_VALUE");
    }

    @Test
    void identitiesSizeLimitExceeded() {
        String[] pairs = new String[62];
        for (int i = 0; i < 31; i++) {
            pairs[2 * i] = "email";
            pairs[2 * i + 1] = "u" + i + "@example.com";
        }
        assertFailure(loginWith(h.identitiesToken(pairs)), 400, "IDENTITIES_SIZE_LIMIT_EXCEEDED");
    }

    @Test
    void uidOrEmailIsMandatory() {
        assertFailure(loginWith(h.identitiesToken("phone_number", "+100")), 400, "UID_OR_EMAIL_IS_MANDATORY");
    }

    @Test
    void loginConfigInvalid() {
        ObjectNode body = Json.object().put("identity_token", h.identitiesToken("uid", "u")).put("device_id", "d");
        body.putObject("config").put("k".repeat(256), true);
        Response response = h.login(body);
        assertFailure(response, 400, "LOGIN_CONFIG_INVALID");
        assertThat(response.body().path("errors").elements().next().asText()).isEqualTo("KEY_LENGTH_LIMIT_EXCEEDED");
    }

    @Test
    void loginConfigSizeLimitExceeded() {
        ObjectNode body = Json.object().put("identity_token", h.identitiesToken("uid", "u")).put("device_id", "d");
        ObjectNode config = body.putObject("config");
        for (int i = 0; i < 31; i++) {
            config.put("k" + i, i);
        }
        assertFailure(h.login(body), 400, "LOGIN_CONFIG_SIZE_LIMIT_EXCEEDED");
    }

    @Test
    void tokenCauses() {
        assertTokenInvalid(loginWith("not-a-jwt"), "MALFORMED");
        assertTokenInvalid(loginWith(TestTokens.hs256(h.app.kid(), "wrong-secret", TestTokens.identitiesPayload(h.now(), "uid", "u"))), "SIGNATURE");
        assertTokenInvalid(loginWith(TestTokens.hs256("unknown-kid", h.app.secret(), TestTokens.identitiesPayload(h.now(), "uid", "u"))), "UNKNOWN_KEY");
        assertTokenInvalid(loginWith(TestTokens.unsigned("{\"alg\":\"none\"}", TestTokens.identitiesPayload(h.now(), "uid", "u"))), "ALGORITHM");
        assertTokenInvalid(loginWith(h.token("{\"identities\":[{\"identifier\":\"uid\",\"value\":\"u\"}],\"iat\":" + h.now()
                + ",\"exp\":" + (h.now() - 120) + "}")), "EXPIRED");
        assertTokenInvalid(loginWith(h.token(TestTokens.identitiesPayload(h.now() - 86_401, "uid", "u"))), "TOO_OLD");
        assertTokenInvalid(loginWith(h.token(TestTokens.identitiesPayload(h.now() + 61, "uid", "u"))), "ISSUED_IN_FUTURE");
    }

    @Test
    void identityFeatureNotEnabled() {
        TestApps.TestApp disabled = TestApps.create(h.appStore, "dom-disabled-" + h.app.appId(), false, s -> s);
        Harness other = new Harness(disabled);
        assertFailure(other.login("d", other.identitiesToken("uid", "u")), 403, "IDENTITY_FEATURE_NOT_ENABLED");
        assertThat(other.storedItemsBesidesAudit()).isEmpty();
    }

    @Test
    void loginModeDisabled() {
        h = new Harness(s -> s.withLoginModes(EnumSet.of(LoginMode.EXTERNAL_ID_JWT)));
        assertFailure(h.login("d", h.identitiesToken("uid", "u")), 403, "LOGIN_MODE_DISABLED");
    }

    @Test
    void appNotFound() {
        Response response = h.login(ApiEvents.post("/v1/apps/{appId}/login", "/v1/apps/no-such-app/login").pathParameter("appId", "no-such-app")
                .body("{\"identity_token\":\"\",\"device_id\":\"d\"}"));
        assertFailure(response, 404, "APP_NOT_FOUND");
    }

    @Test
    void configuredUserIdMustMatchTheToken() {
        ObjectNode body = Json.object().put("identity_token", h.identitiesToken("uid", "jwt-user", "email", "a@example.com")).put("device_id", "d");
        body.putObject("expected").put("user_id", "config-user");
        Response response = h.login(body);
        assertFailure(response, 400, "CONFIG_JWT_USER_ID_MISMATCH");
        assertThat(response.text("/details/jwtUserId")).isEqualTo("jwt-user");
        assertThat(response.text("/details/configUserId")).isEqualTo("config-user");
    }

    @Test
    void configuredEmailMustMatchTheToken() {
        ObjectNode body = Json.object().put("identity_token", h.identitiesToken("uid", "u", "email", "jwt@example.com")).put("device_id", "d");
        body.putObject("expected").put("user_id", "u").put("user_email", "config@example.com");
        Response response = h.login(body);
        assertFailure(response, 400, "CONFIG_JWT_EMAIL_MISMATCH");
        assertThat(response.text("/details/jwtEmail")).isEqualTo("jwt@example.com");
        assertThat(response.text("/details/configEmail")).isEqualTo("config@example.com");
    }

    @Test
    void badRequestShapesAreRequestInvalid() {
        Response noDevice = h.login(Json.object().put("identity_token", ""));
        assertThat(noDevice.status()).isEqualTo(400);
        assertThat(noDevice.body().path("error").asText()).isEqualTo("REQUEST_INVALID");
        assertThat(noDevice.reason()).isEqualTo("FIELD_INVALID");
        assertThat(noDevice.text("/errors/device_id")).isEqualTo("MISSING");

        Response wrongType = h.login(ApiEvents.login(h.app.appId()).body("{\"identity_token\":42,\"device_id\":\"d\"}"));
        assertTokenInvalid(wrongType, "MALFORMED");

        Response malformed = h.login(ApiEvents.login(h.app.appId()).body("{\"identity_token\":"));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.reason()).isEqualTo("MALFORMED_JSON");

        Response wrongMediaType = h.login(ApiEvents.login(h.app.appId()).header("content-type", "text/plain").body("{}"));
        assertThat(wrongMediaType.status()).isEqualTo(415);
        assertThat(wrongMediaType.reason()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");

        Response huge = h.login(ApiEvents.login(h.app.appId()).body("{\"identity_token\":\"" + "a".repeat(300_000) + "\",\"device_id\":\"d\"}"));
        assertThat(huge.status()).isEqualTo(413);
        assertThat(huge.reason()).isEqualTo("BODY_TOO_LARGE");

        Response noMode = h.login(Json.object().put("device_id", "d"));
        assertThat(noMode.reason()).isEqualTo("FIELD_INVALID");
        assertThat(noMode.text("/errors/identity_token")).isEqualTo("MISSING");
    }

    @Test
    void unknownRoutesAnswerInTheErrorShape() {
        Response response = Harness.call(new NotFoundHandler().handleRequest(ApiEvents.get("$default", "/v1/nope").build(), null));
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body().path("error").asText()).isEqualTo("REQUEST_INVALID");
        assertThat(response.reason()).isEqualTo("ROUTE_NOT_FOUND");
    }

    @Test
    void aKnownPathWithAnotherMethodIs405WithAllow() {
        Response response = Harness.call(new NotFoundHandler().handleRequest(
                ApiEvents.get("$default", "/v1/apps/" + h.app.appId() + "/login").build(), null));
        assertThat(response.status()).isEqualTo(405);
        assertThat(response.reason()).isEqualTo("METHOD_NOT_ALLOWED");
        assertThat(response.headers().get("allow")).isEqualTo("POST");
        assertThat(response.body().at("/details/allowed/0").asText()).isEqualTo("POST");
    }

    @Test
    void internalErrorsLeakNothing() {
        Wiring broken = Wiring.of(h.wiring.dynamo(), new Tables(h.wiring.tables().apps(), "NoSuchTable", "NoSuchTable", "NoSuchTable"),
                h.clock, Duration.ofSeconds(60));
        Response response = Harness.call(new LoginHandler(broken).handleRequest(ApiEvents.login(h.app.appId())
                .body(Json.write(Json.object().put("identity_token", h.identitiesToken("uid", "u")).put("device_id", "d"))).build(), null));
        assertFailure(response, 500, "INTERNAL_ERROR");
        assertThat(response.body().toString()).doesNotContain("NoSuchTable").doesNotContain("Exception").doesNotContain("at io.");
    }

    @Test
    void garbageTokensOfEveryShapeAreRefusedWithA4xx() {
        List<String> garbage = List.of("", "....", "a.b.c", "eyJ.eyJ.eyJ", "\u0000\u0001", "x".repeat(20_000),
                TestTokens.b64("{\"alg\":\"HS256\"}") + "." + TestTokens.b64("[]") + ".sig",
                TestTokens.b64("{}") + "." + TestTokens.b64("{}") + ".");
        for (String token : garbage) {
            if (token.isEmpty()) {
                continue;
            }
            Response response = loginWith(token);
            assertThat(response.status()).as(token.length() > 40 ? token.substring(0, 40) : token).isBetween(400, 499);
        }
    }

    @Test
    void nestedJsonBombIsRefused() {
        ArrayNode deep = Json.MAPPER.createArrayNode();
        ArrayNode cursor = deep;
        for (int i = 0; i < 100; i++) {
            cursor = cursor.addArray();
        }
        ObjectNode body = Json.object().put("identity_token", "").put("device_id", "d");
        body.set("config", deep);
        Response response = h.login(ApiEvents.login(h.app.appId()).body(body.toString()));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.reason()).isEqualTo("MALFORMED_JSON");
    }
}
