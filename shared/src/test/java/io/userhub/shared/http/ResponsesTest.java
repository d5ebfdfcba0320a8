package io.userhub.shared.http;

import io.userhub.shared.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ResponsesTest {

    @Test
    void detailsAreSnakeCaseWithTheirCamelCaseNamesKeptAsAliases() throws Exception {
        var response = Responses.problem("ATTRIBUTE_FAILED",
                Problem.withDetails(Reason.MAX_KEY_VALUES_LIMIT_EXCEEDED, Map.of("receivedTotalKeys", 101, "maxKeysAllowed", 100, "cause", "x")), "r-1");
        JsonNode details = Json.MAPPER.readTree(response.getBody()).path("details");
        assertThat(details.path("received_total_keys").asInt()).isEqualTo(101);
        assertThat(details.path("receivedTotalKeys").asInt()).isEqualTo(101);
        assertThat(details.path("max_keys_allowed").asInt()).isEqualTo(100);
        assertThat(details.path("cause").asText()).isEqualTo("x");
        assertThat(details.size()).isEqualTo(5);
    }

    @Test
    void everyUnauthorizedAnswerCarriesABearerChallenge() {
        for (Reason reason : Reason.values()) {
            var response = Responses.problem("F", Problem.of(reason), "r");
            String challenge = response.getHeaders().get("www-authenticate");
            if (reason.httpStatus() == 401) {
                assertThat(challenge).as(reason.name()).startsWith("Bearer realm=\"userhub\"");
            } else {
                assertThat(challenge).as(reason.name()).isNull();
            }
        }
        assertThat(Responses.problem("F", Problem.of(Reason.SESSION_EXPIRED), "r").getHeaders().get("www-authenticate"))
                .contains("error=\"invalid_token\"");
        assertThat(Responses.problem("F", Problem.of(Reason.UNAUTHORIZED), "r").getHeaders().get("www-authenticate"))
                .isEqualTo("Bearer realm=\"userhub\"");
        assertThat(Responses.problem("F", Problem.of(Reason.IDENTITY_TOKEN_INVALID), "r").getHeaders().get("www-authenticate"))
                .as("the refused token was in the body, not the Authorization header").isEqualTo("Bearer realm=\"userhub\"");
    }
}
