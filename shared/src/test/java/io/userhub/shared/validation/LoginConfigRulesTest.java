package io.userhub.shared.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.json.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class LoginConfigRulesTest {

    private static Problem rejection(ObjectNode config) {
        return catchThrowableOfType(Rejection.class, () -> LoginConfigRules.readFullPrivacy(config)).problem();
    }

    @Test
    void fullPrivacyIsFalseWhenAbsentOrNotABoolean() {
        assertThat(LoginConfigRules.readFullPrivacy(null)).isFalse();
        assertThat(LoginConfigRules.readFullPrivacy(Json.object())).isFalse();
        assertThat(LoginConfigRules.readFullPrivacy(Json.object().put("full_privacy_enabled", "yes please"))).isFalse();
        assertThat(LoginConfigRules.readFullPrivacy(Json.object().put("full_privacy_enabled", 1))).isFalse();
        assertThat(LoginConfigRules.readFullPrivacy(Json.object().put("full_privacy_enabled", true))).isTrue();
        assertThat(LoginConfigRules.readFullPrivacy(Json.object().put("full_privacy_enabled", "TRUE"))).isTrue();
    }

    @Test
    void thirtyEntriesAreAcceptedAndThirtyOneAreTooMany() {
        ObjectNode config = Json.object();
        for (int i = 0; i < 30; i++) {
            config.put("k" + i, i);
        }
        assertThat(LoginConfigRules.readFullPrivacy(config)).isFalse();
        config.put("k30", 30);
        assertThat(rejection(config).reason()).isEqualTo(Reason.LOGIN_CONFIG_SIZE_LIMIT_EXCEEDED);
    }

    @Test
    void keyLengthAtLimitIsAcceptedAndOnePastIsRejected() {
        assertThat(LoginConfigRules.readFullPrivacy(Json.object().put("k".repeat(255), "v"))).isFalse();
        Problem problem = rejection(Json.object().put("k".repeat(256), "v"));
        assertThat(problem.reason()).isEqualTo(Reason.LOGIN_CONFIG_INVALID);
        assertThat(problem.errors()).containsEntry("k".repeat(256), "KEY_LENGTH_LIMIT_EXCEEDED");
    }

    @Test
    void valueLengthAtLimitIsAcceptedAndOnePastIsRejected() {
        assertThat(LoginConfigRules.readFullPrivacy(Json.object().put("k", "v".repeat(1000)))).isFalse();
        assertThat(rejection(Json.object().put("k", "v".repeat(1001))).errors()).containsEntry("k", "VALUE_LENGTH_LIMIT_EXCEEDED");
    }

    @Test
    void onlyStringsBooleansAndNumbersAreAccepted() {
        ObjectNode config = Json.object();
        config.putObject("nested").put("a", 1);
        assertThat(rejection(config).errors()).containsEntry("nested", "INVALID_VALUE_TYPE");
    }
}
