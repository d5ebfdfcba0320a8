package io.userhub.shared.token;

import io.userhub.shared.jwks.Jwks;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.SigningKey;
import io.userhub.shared.validation.Rejection;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token parser and verifier, and the claims rules behind them: any input is a valid result
 * or a {@link Rejection}, never another exception. The first target feeds whole tokens (most die
 * at the signature); the second signs fuzzed headers and payloads with the app's key, so the
 * claims, identities and external-id rules are reached too. Corpus: TokenFuzzTestInputs/.
 */
class TokenFuzzTest {
    private static final String SECRET = "fuzz-secret-0123456789abcdef0123";
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final AppConfig STRICT = app(false);
    private static final AppConfig SUNSHINE = app(true);

    private static AppConfig app(boolean sunshine) {
        return new AppConfig("fuzz-app", "fuzz-dom", true, List.of(new SigningKey("k1", "HS256", SECRET, SigningKey.Status.ACTIVE, 1)),
                List.of(), AppSettings.defaults().withSunshineCompatibility(sunshine));
    }

    @FuzzTest(maxDuration = "60s")
    void anyTokenIsVerifiedOrRefused(FuzzedDataProvider data) {
        String token = data.consumeRemainingAsString();
        for (TokenVerifier.KidPolicy policy : TokenVerifier.KidPolicy.values()) {
            try {
                VerifiedToken verified = TokenVerifier.verify(token, STRICT, policy, NOW);
                assertThat(verified.kid()).isEqualTo("k1");
            } catch (Rejection refused) {
                assertThat(refused.problem().reason()).isNotNull();
            }
        }
        try {
            IdentityTokens.readIdentitiesToken(token, STRICT, NOW);
        } catch (Rejection refused) {
            assertThat(refused.problem().reason()).isNotNull();
        }
        TokenVerifier.knownKidOf(token, STRICT);
    }

    @FuzzTest(maxDuration = "60s")
    void anySignedPayloadIsReadOrRefused(FuzzedDataProvider data) {
        boolean sunshine = data.consumeBoolean();
        String header = data.consumeString(200);
        String claimed = data.consumeString(100);
        String payload = data.consumeRemainingAsString();
        String token = TokenVerifierTest.sign(header, payload, "HmacSHA256", SECRET);
        AppConfig app = sunshine ? SUNSHINE : STRICT;
        try {
            IdentityAssertion assertion = IdentityTokens.readIdentitiesToken(token, app, NOW);
            assertThat(assertion.identities().size() + assertion.unverified().size()).as("verified or not, every identity is kept").isPositive();
            assertThat(assertion.signedAttributes() == null || assertion.jti() != null).as("attributes only with a jti").isTrue();
        } catch (Rejection refused) {
            assertThat(refused.problem().reason()).isNotNull();
        }
        try {
            IdentityAssertion assertion = IdentityTokens.readExternalIdToken(token, claimed, app, NOW);
            assertThat(assertion.uid().orElseThrow().value()).isEqualTo(claimed);
            assertThat(assertion.jtiExpiresAt(app.settings())).isGreaterThan(0);
        } catch (Rejection refused) {
            assertThat(refused.problem().reason()).isNotNull();
        }
    }

    /** The JWK Set parser takes what a customer's backend publishes: keys it can use, never an exception. */
    @FuzzTest(maxDuration = "60s")
    void anyJwkSetIsParsedIntoUsableKeys(byte[] input) {
        List<SigningKey> keys = Jwks.parse(new String(input, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(keys).allSatisfy(key -> {
            assertThat(key.alg()).isIn("RS256", "ES256");
            assertThat(key.kid()).isNotEmpty().hasSizeLessThanOrEqualTo(128);
        });
    }
}
