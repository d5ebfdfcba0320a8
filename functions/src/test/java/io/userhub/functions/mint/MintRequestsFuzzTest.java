package io.userhub.functions.mint;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.json.Json;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.SigningKey;
import io.userhub.shared.validation.Rejection;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The mint request parser: any JSON object is a command or a {@link Rejection}. Corpus: MintRequestsFuzzTestInputs/. */
class MintRequestsFuzzTest {
    private static final AppConfig APP = new AppConfig("fuzz-app", "fuzz-dom", true,
            List.of(new SigningKey("k1", "HS256", "fuzz-secret-0123456789abcdef0123", SigningKey.Status.ACTIVE, 1)),
            List.of(), AppSettings.defaults());

    @FuzzTest(maxDuration = "60s")
    void anyMintRequestIsACommandOrRefused(byte[] input) {
        Optional<ObjectNode> body = Json.parseObject(input);
        if (body.isEmpty()) {
            return;
        }
        try {
            MintUseCase.MintCommand command = MintRequests.parse(body.get(), APP);
            assertThat(command).isNotNull();
        } catch (Rejection refused) {
            assertThat(refused.problem().reason().httpStatus()).isBetween(400, 499);
        }
    }
}
