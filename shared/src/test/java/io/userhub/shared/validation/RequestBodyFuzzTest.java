package io.userhub.shared.validation;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.http.HttpRequest;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared request parsers: the JSON body of every route, the identities of a token or mint
 * request, the attribute batch and the login config. Any input is a result or a
 * {@link Rejection}, never another exception. Corpus: RequestBodyFuzzTestInputs/.
 */
class RequestBodyFuzzTest {

    private static ObjectNode body(byte[] bytes) {
        HttpRequest request = new HttpRequest("POST", "/", Map.of("content-type", "application/json"), Map.of(), Map.of(), bytes, "r");
        return request.jsonBody();
    }

    /** The body as a JSON object, or empty when the JSON edge refuses it (the first target fuzzes that refusal). */
    private static java.util.Optional<ObjectNode> objectOf(byte[] bytes) {
        try {
            return java.util.Optional.of(body(bytes));
        } catch (Rejection notJson) {
            return java.util.Optional.empty();
        }
    }

    @FuzzTest(maxDuration = "60s")
    void anyBodyIsAnObjectOrRefused(FuzzedDataProvider data) {
        byte[] bytes = data.consumeRemainingAsBytes();
        try {
            ObjectNode object = body(bytes);
            assertThat(object).isNotNull();
        } catch (Rejection refused) {
            assertThat(refused.problem().reason()).isIn(Reason.MALFORMED_JSON, Reason.BODY_TOO_LARGE);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void anyIdentitiesAreValidOrRefused(FuzzedDataProvider data) {
        boolean fullPrivacy = data.consumeBoolean();
        java.util.Optional<ObjectNode> body = objectOf(data.consumeRemainingAsBytes());
        if (body.isEmpty()) {
            return;
        }
        ObjectNode parsed = body.get();
        try {
            List<io.userhub.shared.model.Identity> identities = IdentityRules.readIdentities(parsed, io.userhub.shared.model.AppSettings.DEFAULT_BLOCKED_VALUES);
            assertThat(identities).hasSizeLessThanOrEqualTo(Limits.COLLECTION_SIZE_MAX);
            if (!fullPrivacy) {
                IdentityRules.requireUidOrEmail(identities);
            }
            IdentityRules.requireWithinLimits(identities, io.userhub.shared.model.ResolutionRules.DEFAULT);
        } catch (Rejection refused) {
            assertThat(refused.problem().reason()).isNotNull();
        }
        LoginConfigRules.readFullPrivacy(parsed.get("config"));
        try {
            UserRecordRules.readUserId("user_id", parsed.get("user_id"), Reason.IDENTITIES_DATA_INVALID);
        } catch (Rejection refused) {
            assertThat(refused.problem().errors()).containsKey("user_id");
        }
    }

    @FuzzTest(maxDuration = "60s")
    void anyAttributeBatchIsReadOrRefused(FuzzedDataProvider data) {
        Map<String, String> schema = data.consumeBoolean() ? Map.of("plan", "dropdown", "seats", "number", "born", "date") : Map.of();
        java.util.Optional<ObjectNode> body = objectOf(data.consumeRemainingAsBytes());
        if (body.isEmpty()) {
            return;
        }
        ObjectNode parsed = body.get();
        try {
            AttributeRules.Batch batch = AttributeRules.read(parsed, schema);
            assertThat(batch).isNotNull();
        } catch (Rejection refused) {
            assertThat(refused.problem().reason()).isNotNull();
        }
    }
}
