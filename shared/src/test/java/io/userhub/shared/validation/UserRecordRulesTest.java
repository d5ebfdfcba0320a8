package io.userhub.shared.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.shared.json.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class UserRecordRulesTest {

    private static JsonNode json(String text) {
        return Json.parseObject(("{\"v\":" + text + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8)).orElseThrow().get("v");
    }

    private static String code(String text) {
        return catchThrowableOfType(Rejection.class, () -> UserRecordRules.readUserId("user_id", json(text), Reason.IDENTITIES_DATA_INVALID))
                .problem().errors().get("user_id");
    }

    @Test
    void anIntegerUpToTwoToTheFiftyThirdIsItsDecimalString() {
        assertThat(UserRecordRules.readUserId("user_id", json("12345"), Reason.IDENTITIES_DATA_INVALID)).isEqualTo("12345");
        assertThat(UserRecordRules.readUserId("user_id", json("0"), Reason.IDENTITIES_DATA_INVALID)).isEqualTo("0");
        assertThat(UserRecordRules.readUserId("user_id", json("9007199254740992"), Reason.IDENTITIES_DATA_INVALID))
                .isEqualTo("9007199254740992");
        assertThat(UserRecordRules.readUserId("user_id", json("\"012345\""), Reason.IDENTITIES_DATA_INVALID))
                .as("a string stays as sent").isEqualTo("012345");
    }

    @Test
    void absentNullAndEmptyMeanAnAnonymousVisitor() {
        assertThat(UserRecordRules.readUserId("user_id", null, Reason.IDENTITIES_DATA_INVALID)).isNull();
        assertThat(UserRecordRules.readUserId("user_id", json("null"), Reason.IDENTITIES_DATA_INVALID)).isNull();
        assertThat(UserRecordRules.readUserId("user_id", json("\"\""), Reason.IDENTITIES_DATA_INVALID)).isNull();
    }

    @Test
    void otherNumbersAreRefusedWithWhatIsWrongWithThem() {
        assertThat(code("1.5")).isEqualTo("NOT_AN_INTEGER");
        assertThat(code("12345.0")).isEqualTo("NOT_AN_INTEGER");
        assertThat(code("1e5")).isEqualTo("NOT_AN_INTEGER");
        assertThat(code("-1")).isEqualTo("NEGATIVE_NUMBER");
        assertThat(code("9007199254740993")).isEqualTo("NUMBER_TOO_LARGE");
        assertThat(code("false")).isEqualTo("INVALID_VALUE_TYPE");
        assertThat(code("{}")).isEqualTo("INVALID_VALUE_TYPE");
    }

    @Test
    void aRefusalCarriesWebChatsDetailLists() {
        Problem problem = catchThrowableOfType(Rejection.class,
                () -> UserRecordRules.readUserId("user_id", json("1.5"), Reason.IDENTITIES_DATA_INVALID)).problem();
        assertThat(problem.details()).containsEntry("invalidFields", java.util.List.of("user_id"))
                .containsEntry("missingFields", java.util.List.of())
                .containsEntry("invalidIdentities", java.util.List.of())
                .containsEntry("invalidIdentityTokens", java.util.List.of());
    }
}
