package io.userhub.functions.session;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.userhub.shared.validation.Rejection;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The revocation route's instant: a valid instant or a 400 naming the field, never another exception. Corpus: RevokeRequestFuzzTestInputs/. */
class RevokeRequestFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyInstantIsParsedOrRefused(byte[] input) {
        String text = new String(input, java.nio.charset.StandardCharsets.UTF_8);
        try {
            Optional<Instant> instant = RevokeSessionsUseCase.parseInstant("issued_before", text);
            assertThat(instant).isPresent();
            assertThat(instant.get()).isAfterOrEqualTo(Instant.EPOCH);
        } catch (Rejection refused) {
            assertThat(refused.problem().errors()).containsKey("issued_before");
        }
    }
}
