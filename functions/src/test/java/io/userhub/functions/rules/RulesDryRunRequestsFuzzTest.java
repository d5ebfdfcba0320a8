package io.userhub.functions.rules;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.json.Json;
import io.userhub.shared.validation.Rejection;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules dry run's body: proposed rules and samples, or a {@link Rejection}. Corpus: RulesDryRunRequestsFuzzTestInputs/. */
class RulesDryRunRequestsFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyDryRunBodyIsParsedOrRefused(byte[] input) {
        Optional<ObjectNode> body = Json.parseObject(input);
        if (body.isEmpty()) {
            return;
        }
        try {
            RulesDryRunRequests.Parsed parsed = RulesDryRunRequests.parse(body.get(), 1_764_849_600L);
            assertThat(parsed.samples()).isNotEmpty().hasSizeLessThanOrEqualTo(100);
        } catch (Rejection refused) {
            assertThat(refused.problem().reason().httpStatus()).isBetween(400, 499);
        }
    }
}
