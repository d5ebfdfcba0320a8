package io.userhub.shared.validation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.json.Json;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.Identity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class IdentityRulesTest {
    private static final List<String> BLOCKED = AppSettings.DEFAULT_BLOCKED_VALUES;

    private static ObjectNode payload(Object... identifierValuePairs) {
        ObjectNode payload = Json.object();
        ArrayNode identities = payload.putArray("identities");
        for (int i = 0; i < identifierValuePairs.length; i += 2) {
            ObjectNode identity = identities.addObject();
            identity.put("identifier", (String) identifierValuePairs[i]);
            identity.set("value", Json.MAPPER.valueToTree(identifierValuePairs[i + 1]));
        }
        return payload;
    }

    private static Problem rejection(ObjectNode payload) {
        return catchThrowableOfType(Rejection.class, () -> IdentityRules.readIdentities(payload, BLOCKED)).problem();
    }

    @Test
    void validIdentitiesAreReturnedInOrder() {
        List<Identity> identities = IdentityRules.readIdentities(payload("uid", "u-1", "email", "a@b.c", "steam_id", "s"), BLOCKED);
        assertThat(identities).extracting(Identity::identifier).containsExactly("uid", "email", "steam_id");
    }

    @Test
    void missingIdentitiesKeyIsReported() {
        assertThat(rejection(Json.object()).reason()).isEqualTo(Reason.IDENTITIES_KEY_ABSENT);
    }

    @Test
    void uidValueAtLimitIsAcceptedAndOnePastIsRejected() {
        assertThat(IdentityRules.readIdentities(payload("uid", "u".repeat(750)), BLOCKED)).hasSize(1);
        Problem problem = rejection(payload("uid", "u".repeat(751)));
        assertThat(problem.reason()).isEqualTo(Reason.IDENTITIES_DATA_INVALID);
        assertThat(problem.errors()).containsEntry("uid", "VALUE_LENGTH_LIMIT_EXCEEDED");
    }

    @Test
    void otherIdentityValueAtLimitIsAcceptedAndOnePastIsRejected() {
        assertThat(IdentityRules.readIdentities(payload("email", "e".repeat(300)), BLOCKED)).hasSize(1);
        assertThat(rejection(payload("email", "e".repeat(301))).errors()).containsEntry("email", "VALUE_LENGTH_LIMIT_EXCEEDED");
    }

    @Test
    void identifierKeyLengthIsCheckedBeforeSupport() {
        assertThat(rejection(payload("k".repeat(255), "v")).errors()).containsEntry("k".repeat(255), "UNSUPPORTED_IDENTIFIER");
        assertThat(rejection(payload("k".repeat(256), "v")).errors()).containsEntry("k".repeat(256), "KEY_LENGTH_LIMIT_EXCEEDED");
    }

    @Test
    void thirtyIdentitiesAreAcceptedAndThirtyOneAreTooMany() {
        Object[] thirty = new Object[60];
        for (int i = 0; i < 30; i++) {
            thirty[2 * i] = "email";
            thirty[2 * i + 1] = "user" + i + "@example.com";
        }
        assertThat(IdentityRules.readIdentities(payload(thirty), BLOCKED)).hasSize(30);
        ObjectNode thirtyOne = payload(thirty);
        ((ArrayNode) thirtyOne.get("identities")).addObject().put("identifier", "uid").put("value", "x1");
        Problem problem = rejection(thirtyOne);
        assertThat(problem.reason()).isEqualTo(Reason.IDENTITIES_SIZE_LIMIT_EXCEEDED);
        assertThat(problem.details()).containsEntry("receivedIdentities", 31).containsEntry("maxIdentitiesAllowed", 30);
    }

    @Test
    void emptyValueIsEmptyData() {
        assertThat(rejection(payload("email", "")).errors()).containsEntry("email", "EMPTY_DATA");
        assertThat(rejection(payload("email", "   ")).errors()).containsEntry("email", "EMPTY_DATA");
    }

    @Test
    void nonStringValueIsInvalidValueType() {
        assertThat(rejection(payload("uid", 42)).errors()).containsEntry("uid", "INVALID_VALUE_TYPE");
    }

    @Test
    void unsupportedIdentifierIsReported() {
        assertThat(rejection(payload("twitter_id", "x")).errors()).containsEntry("twitter_id", "UNSUPPORTED_IDENTIFIER");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "null", "NULL", "undefined", "anonymous", "none", " None ", "000", "0000000"})
    void junkValuesAreBlocked(String junk) {
        assertThat(rejection(payload("uid", junk)).errors()).containsEntry("uid", "BLOCKED_VALUE");
    }

    @Test
    void blockListIsConfigurablePerApp() {
        assertThat(IdentityRules.readIdentities(payload("uid", "anonymous"), List.of("guest"))).hasSize(1);
        assertThatThrownBy(() -> IdentityRules.readIdentities(payload("uid", "Guest"), List.of("guest")))
                .isInstanceOf(Rejection.class);
    }

    @Test
    void twoDifferentUidsAreRejected() {
        assertThat(rejection(payload("uid", "a", "uid", "b")).errors()).containsEntry("uid", "DUPLICATE_IDENTIFIER");
    }

    private static ObjectNode withMetadata(ObjectNode metadata) {
        ObjectNode payload = payload("email", "a@b.c");
        ((ObjectNode) payload.get("identities").get(0)).set("metadata", metadata);
        return payload;
    }

    @Test
    void metadataCountAtLimitIsAcceptedAndOnePastIsRejected() {
        ObjectNode metadata = Json.object();
        for (int i = 0; i < 30; i++) {
            metadata.put("k" + i, "v");
        }
        assertThat(IdentityRules.readIdentities(withMetadata(metadata), BLOCKED).get(0).metadata()).hasSize(30);
        metadata.put("k30", "v");
        assertThat(rejection(withMetadata(metadata)).errors()).containsEntry("email", "METADATA_COUNT_LIMIT_EXCEEDED");
    }

    @Test
    void metadataKeyLengthAtLimitIsAcceptedAndOnePastIsRejected() {
        ObjectNode ok = Json.object().put("k".repeat(255), "v");
        assertThat(IdentityRules.readIdentities(withMetadata(ok), BLOCKED)).hasSize(1);
        ObjectNode tooLong = Json.object().put("k".repeat(256), "v");
        assertThat(rejection(withMetadata(tooLong)).errors()).containsEntry("k".repeat(256), "METADATA_KEY_LENGTH_LIMIT_EXCEEDED");
    }

    @Test
    void metadataValueLengthAtLimitIsAcceptedAndOnePastIsRejected() {
        assertThat(IdentityRules.readIdentities(withMetadata(Json.object().put("k", "v".repeat(300))), BLOCKED)).hasSize(1);
        assertThat(rejection(withMetadata(Json.object().put("k", "v".repeat(301)))).errors())
                .containsEntry("k", "METADATA_VALUE_LENGTH_LIMIT_EXCEEDED");
    }

    @Test
    void emptyMetadataKeyOrValueIsReported() {
        assertThat(rejection(withMetadata(Json.object().put("k", ""))).errors()).containsEntry("k", "METADATA_EMPTY_KEY_OR_VALUE");
        assertThat(rejection(withMetadata(Json.object().put("", "v"))).errors()).containsEntry("email", "METADATA_EMPTY_KEY_OR_VALUE");
    }

    @Test
    void uidOrEmailIsMandatoryWithoutFullPrivacy() {
        List<Identity> phoneOnly = IdentityRules.readIdentities(payload("phone_number", "+100"), BLOCKED);
        Problem problem = catchThrowableOfType(Rejection.class, () -> IdentityRules.requireUidOrEmail(phoneOnly)).problem();
        assertThat(problem.reason()).isEqualTo(Reason.UID_OR_EMAIL_IS_MANDATORY);
        IdentityRules.requireUidOrEmail(IdentityRules.readIdentities(payload("email", "a@b.c"), BLOCKED));
    }

    @Test
    void sameEmailInDifferentCaseIsOneIdentity() {
        List<Identity> identities = IdentityRules.readIdentities(payload("email", "Ada@Example.com", "email", "ada@example.COM"), BLOCKED);
        assertThat(identities).hasSize(1);
        assertThat(identities.get(0).normalizedValue()).isEqualTo("ada@example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000a@b.c", "a@b.c\u000B", "\u001Fa@b.c", "a\u200B@b.c", "\uFEFFa@b.c", "a@b.c\u202E",
            "\u212A@b.c", "a@\uFF42.c", "a b@c.d", "a@b.c\u2003", "\uD800a@b.c"})
    void emailsThatOnlyLookLikeAnotherAreInvalidValues(String email) {
        assertThat(IdentityRules.valueError("email", email, BLOCKED)).isEqualTo(ErrorCode.INVALID_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"u\u0000", "\u0007bell", "zero\u200Bwidth", "rtl\u202Eoverride"})
    void controlAndFormatCharactersAreRefusedInEveryIdentifier(String value) {
        for (String identifier : List.of("uid", "phone_number", "steam_id")) {
            assertThat(IdentityRules.valueError(identifier, value, BLOCKED)).as(identifier).isEqualTo(ErrorCode.INVALID_VALUE);
        }
    }

    @Test
    void normalisationIsNfcWithAsciiOnlyCaseFoldingForEmails() {
        assertThat(new Identity("email", "  Jos\u00E9@Example.COM ", null).normalizedValue()).isEqualTo("jos\u00E9@example.com");
        assertThat(new Identity("email", "jose\u0301@example.com", null).normalizedValue()).isEqualTo("jos\u00E9@example.com");
        assertThat(new Identity("email", "\u00C9LODIE@example.com", null).normalizedValue())
                .as("non-ASCII letters keep their case").isEqualTo("\u00C9lodie@example.com");
        assertThat(new Identity("uid", "User-1", null).normalizedValue()).isEqualTo("User-1");
        assertThat(IdentityRules.valueError("email", "\u00C9lodie@example.com", BLOCKED)).isNull();
        assertThat(IdentityRules.valueError("uid", "\u7528\u6237-1", BLOCKED)).isNull();
    }
}
