package io.userhub.functions.login;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.functions.support.Harness;
import io.userhub.functions.support.Harness.Response;
import io.userhub.shared.json.Json;
import io.userhub.shared.model.LoginMode;
import io.userhub.shared.model.SignedModeVerification;
import io.userhub.shared.observability.JsonLog;
import io.userhub.testkit.DynamoDbLocalExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Staged enforcement of the signed modes: {@code verification: off | optional | required}. An
 * unsigned login is refused while signing is required, and otherwise lands in the unverified
 * namespace, where it never reaches a profile a signed token made.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class StagedEnforcementIT {
    private final List<String> logLines = new ArrayList<>();

    @AfterEach
    void quietLogs() {
        JsonLog.sinkTo(line -> { });
    }

    private static Harness app(SignedModeVerification verification) {
        return new Harness(s -> s.withVerification(verification).withLoginModes(EnumSet.allOf(LoginMode.class)));
    }

    private static ObjectNode unsigned(String device, String... identifierValuePairs) {
        ObjectNode body = Json.object().put("device_id", device);
        ArrayNode identities = body.putArray("identities");
        for (int i = 0; i + 1 < identifierValuePairs.length; i += 2) {
            identities.addObject().put("identifier", identifierValuePairs[i]).put("value", identifierValuePairs[i + 1]);
        }
        return body;
    }

    private static JsonNode lastLoginRecord(Harness h) {
        JsonNode records = h.appAudit("kind", "login").body().path("records");
        return records.get(records.size() - 1);
    }

    @Test
    void whileSigningIsRequiredAnUnsignedLoginIsRefusedAndWritesNothing() {
        Harness h = app(SignedModeVerification.REQUIRED);
        Response identities = h.login(unsigned("d1", "uid", "u-1", "email", "u1@example.com"));
        assertThat(identities.status()).isEqualTo(401);
        assertThat(identities.reason()).isEqualTo("IDENTITY_TOKEN_INVALID");
        assertThat(identities.text("/details/cause")).isEqualTo("UNSIGNED");
        assertThat(identities.text("/details/verification")).isEqualTo("required");

        Response external = h.login(Json.object().put("external_id", "cust-1").put("device_id", "d2"));
        assertThat(external.status()).isEqualTo(401);
        assertThat(external.text("/details/cause")).isEqualTo("UNSIGNED");
        assertThat(h.storedItemsBesidesAudit()).isEmpty();
        assertThat(lastLoginRecord(h).at("/details/cause").asText()).isEqualTo("UNSIGNED");
    }

    @Test
    void whileRollingOutAnUnsignedLoginIsAcceptedUnverifiedCountedAndNeverReachesTheSignedProfile() {
        Harness h = app(SignedModeVerification.OPTIONAL);
        String signed = h.login("phone", h.identitiesToken("uid", "ada", "email", "ada@example.com")).text("/user/id");
        JsonLog.sinkTo(logLines::add);
        h.clock.advance(java.time.Duration.ofSeconds(1));

        Response unsignedLogin = h.login(unsigned("laptop", "uid", "ada", "email", "ada@example.com"));

        assertThat(unsignedLogin.status()).as(unsignedLogin.body().toString()).isEqualTo(200);
        String unverified = unsignedLogin.text("/user/id");
        assertThat(unverified).isNotEqualTo(signed);
        assertThat(unsignedLogin.body().at("/user/identities").toString()).contains("unverified_uid").doesNotContain("ada@example.com");
        // The signed profile keeps its email; the email of an unsigned login is a field, never a claim.
        assertThat(h.lookup("email", "ada@example.com").text("/user/id")).isEqualTo(signed);
        assertThat(h.lookup("unverified_uid", "ada").body().at("/user/fields/email").asText()).isEqualTo("ada@example.com");
        JsonNode record = lastLoginRecord(h);
        assertThat(record.path("user_id").asText()).isEqualTo(unverified);
        assertThat(record.at("/details/verified").asBoolean()).isFalse();
        assertThat(record.at("/details/unsigned").asBoolean()).isTrue();
        assertThat(record.at("/details/verification").asText()).isEqualTo("optional");
        assertThat(logLines).anySatisfy(line -> assertThat(line).contains("\"UnverifiedLogins\"").contains(h.app.appId()));

        // The same person again, unsigned: the same unverified profile; an unsigned external id too.
        assertThat(h.login(unsigned("laptop", "uid", "ada")).text("/user/id")).isEqualTo(unverified);
        assertThat(h.login(Json.object().put("external_id", "ada").put("device_id", "tablet")).text("/user/id")).isEqualTo(unverified);
        // A signed token is verified in every stage: a bad signature is still refused.
        String forged = io.userhub.testkit.TestTokens.hs256(h.app.kid(), "wrong", io.userhub.testkit.TestTokens.identitiesPayload(h.now(), "uid", "ada"));
        assertThat(h.login("phone", forged).status()).isEqualTo(401);
    }

    @Test
    void offAcceptsUnsignedLoginsWithoutCountingThemAndAnUnsignedLoginNeedsAUid() {
        Harness h = app(SignedModeVerification.OFF);
        JsonLog.sinkTo(logLines::add);
        assertThat(h.login(unsigned("d1", "uid", "off-user")).status()).isEqualTo(200);
        assertThat(logLines).noneMatch(line -> line.contains("UnverifiedLogins"));
        assertThat(lastLoginRecord(h).at("/details/verification").asText()).isEqualTo("off");

        Response emailOnly = h.login(unsigned("d2", "email", "nobody@example.com"));
        assertThat(emailOnly.status()).isEqualTo(400);
        assertThat(emailOnly.reason()).isEqualTo("IDENTITIES_DATA_INVALID");
        assertThat(emailOnly.text("/errors/uid")).isEqualTo("MISSING");
        Response blocked = h.login(unsigned("d3", "uid", "null"));
        assertThat(blocked.status()).isEqualTo(400);
    }

    @Test
    void aUserIdWhoseSecurityHashIsPinnedCannotBeReachedUnsigned() {
        Harness h = app(SignedModeVerification.OPTIONAL);
        ObjectNode pinned = Json.object().put("device_id", "d1");
        pinned.putObject("user").put("user_id", "hc-1").put("security_hash", "the-hash");
        String owner = h.login(pinned).text("/user/id");

        Response unsignedLogin = h.login(unsigned("d2", "uid", "hc-1"));
        assertThat(unsignedLogin.status()).isEqualTo(403);
        assertThat(unsignedLogin.reason()).isEqualTo("SECURITY_HASH_MISMATCH");
        assertThat(h.login(pinned).text("/user/id")).isEqualTo(owner);
    }
}
