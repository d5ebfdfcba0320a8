package io.userhub.shared.token;

import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.SigningKey;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Rejection;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The external-id token rules with and without the app's Sunshine compatibility setting. */
class SunshineCompatibilityTest {
    private static final String SECRET = "sunshine-secret-0123456789abcdef";
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final long NOW_S = NOW.getEpochSecond();

    private static AppConfig app(boolean sunshine) {
        return new AppConfig("app-1", "dom-1", true, List.of(new SigningKey("k1", "HS256", SECRET, SigningKey.Status.ACTIVE, 1)),
                List.of(), AppSettings.defaults().withSunshineCompatibility(sunshine));
    }

    private static String token(String payload) {
        return TokenVerifierTest.sign("{\"alg\":\"HS256\",\"kid\":\"k1\"}", payload, "HmacSHA256", SECRET);
    }

    private static IdentityAssertion read(boolean sunshine, String payload, String claimed) {
        return IdentityTokens.readExternalIdToken(token(payload), claimed, app(sunshine), NOW);
    }

    private static Problem refusal(boolean sunshine, String payload) {
        return catchThrowableOfType(Rejection.class, () -> read(sunshine, payload, "c-1")).problem();
    }

    @Test
    void aStrictTokenNeedsNoRelaxationEitherWay() {
        String strict = "{\"scope\":\"user\",\"external_id\":\"c-1\",\"iat\":" + NOW_S + "}";
        assertThat(read(false, strict, "c-1").relaxations()).isEmpty();
        assertThat(read(true, strict, "c-1").relaxations()).isEmpty();
    }

    @Test
    void eachRelaxationIsNamed() {
        assertThat(read(true, "{\"scope\":\"user\",\"external_id\":\"c-1\"}", "c-1").relaxations())
                .containsExactly(SunshineRelaxation.IAT_ABSENT);
        assertThat(read(true, "{\"scope\":\"user\",\"external_id\":\"c-1\",\"iat\":" + (NOW_S - 86_401) + "}", "c-1").relaxations())
                .containsExactly(SunshineRelaxation.IAT_PAST_MAX_AGE);
        assertThat(read(true, "{\"scope\":\"user\",\"external_id\":\"c-1\",\"exp\":\"" + (NOW_S + 60) + "\"}", "c-1").relaxations())
                .containsExactly(SunshineRelaxation.IAT_ABSENT, SunshineRelaxation.EXP_AS_STRING);
        IdentityAssertion appUser = read(true, "{\"scope\":\"appUser\",\"userId\":\"c-1\"}", "c-1");
        assertThat(appUser.relaxations()).containsExactly(SunshineRelaxation.IAT_ABSENT, SunshineRelaxation.APP_USER_SCOPE);
        assertThat(appUser.uid().orElseThrow().value()).isEqualTo("c-1");
    }

    @Test
    void expIsTheOnlyTimeBoundAndAStringExpCountsAsTheNumberItSpells() {
        assertThat(refusal(true, "{\"scope\":\"user\",\"external_id\":\"c-1\",\"exp\":\"" + (NOW_S - 61) + "\"}").details().get("cause"))
                .isEqualTo("EXPIRED");
        IdentityAssertion inSkew = read(true, "{\"scope\":\"user\",\"external_id\":\"c-1\",\"exp\":\"" + (NOW_S - 59) + "\"}", "c-1");
        assertThat(inSkew.expiresAt()).isEqualTo(NOW_S - 59);
        assertThat(refusal(true, "{\"scope\":\"user\",\"external_id\":\"c-1\",\"nbf\":" + (NOW_S + 3600) + "}").details().get("cause"))
                .isEqualTo("ISSUED_IN_FUTURE");
        assertThat(refusal(true, "{\"scope\":\"user\",\"external_id\":\"c-1\",\"exp\":\"" + ((1L << 40) + 1) + "\"}").details().get("cause"))
                .as("a string exp meets the same 2^40 bound as a number").isEqualTo("MALFORMED");
    }

    @Test
    void aTokenWithoutExpIsRememberedForTheMaxAgeFromTheLogin() {
        IdentityAssertion noExp = read(true, "{\"scope\":\"user\",\"external_id\":\"c-1\",\"jti\":\"j-1\"}", "c-1");
        assertThat(noExp.issuedAt()).isEqualTo(NOW_S);
        assertThat(noExp.jtiExpiresAt(app(true).settings())).isEqualTo(NOW_S + 86_400 + 60);
    }

    @Test
    void withoutTheSettingTheSunshineFormsAreRefused() {
        assertThat(refusal(false, "{\"scope\":\"user\",\"external_id\":\"c-1\"}").reason().name()).isEqualTo("IAT_IS_MANDATORY");
        assertThat(refusal(false, "{\"scope\":\"user\",\"external_id\":\"c-1\",\"iat\":" + NOW_S + ",\"exp\":\"" + (NOW_S + 60) + "\"}")
                .details().get("cause")).isEqualTo("MALFORMED");
        assertThat(refusal(false, "{\"scope\":\"appUser\",\"userId\":\"c-1\",\"iat\":" + NOW_S + "}").reason().name())
                .isEqualTo("EXTERNAL_ID_INVALID");
    }
}
