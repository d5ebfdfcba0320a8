package io.userhub.shared.webhook;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Standard Webhooks signing: what a receiver checks, and that it rejects what was tampered with. */
class StandardWebhooksTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final String BODY = "{\"type\":\"user.created\",\"data\":{\"user_id\":\"u-1\"}}";

    @Test
    void aSignatureProvesTheIdTheTimestampAndTheBodyUnderTheSecret() {
        String secret = StandardWebhooks.newSecret();
        assertThat(StandardWebhooks.isSecret(secret)).isTrue();
        String signature = StandardWebhooks.signature(List.of(secret), "msg_1", NOW.getEpochSecond(), BODY);
        assertThat(signature).startsWith("v1,");

        assertThat(StandardWebhooks.verify(secret, "msg_1", Long.toString(NOW.getEpochSecond()), signature, BODY, NOW)).isTrue();
        assertThat(StandardWebhooks.verify(secret, "msg_1", Long.toString(NOW.getEpochSecond()), signature, BODY.replace("u-1", "u-2"), NOW))
                .as("another body").isFalse();
        assertThat(StandardWebhooks.verify(secret, "msg_2", Long.toString(NOW.getEpochSecond()), signature, BODY, NOW))
                .as("another id").isFalse();
        assertThat(StandardWebhooks.verify(secret, "msg_1", Long.toString(NOW.getEpochSecond() + 1), signature, BODY, NOW))
                .as("another timestamp").isFalse();
        assertThat(StandardWebhooks.verify(StandardWebhooks.newSecret(), "msg_1", Long.toString(NOW.getEpochSecond()), signature, BODY, NOW))
                .as("another secret").isFalse();
    }

    @Test
    void aStaleOrFutureTimestampIsRefusedEvenWhenSigned() {
        String secret = StandardWebhooks.newSecret();
        long old = NOW.minus(StandardWebhooks.TOLERANCE).minusSeconds(1).getEpochSecond();
        String signature = StandardWebhooks.signature(List.of(secret), "msg_1", old, BODY);
        assertThat(StandardWebhooks.verify(secret, "msg_1", Long.toString(old), signature, BODY, NOW)).isFalse();
        long ahead = NOW.plus(StandardWebhooks.TOLERANCE).plusSeconds(1).getEpochSecond();
        assertThat(StandardWebhooks.verify(secret, "msg_1", Long.toString(ahead),
                StandardWebhooks.signature(List.of(secret), "msg_1", ahead, BODY), BODY, NOW)).isFalse();
    }

    @Test
    void duringARotationBothSecretsSignAndEitherVerifies() {
        String rotated = StandardWebhooks.newSecret();
        String current = StandardWebhooks.newSecret();
        String signature = StandardWebhooks.signature(List.of(current, rotated), "msg_1", NOW.getEpochSecond(), BODY);

        assertThat(signature.split(" ")).hasSize(2).allSatisfy(part -> assertThat(part).startsWith("v1,"));
        for (String secret : List.of(current, rotated)) {
            assertThat(StandardWebhooks.verify(secret, "msg_1", Long.toString(NOW.getEpochSecond()), signature, BODY, NOW)).isTrue();
        }
    }

    @Test
    void onlyWhsecSecretsOfAtLeast24BytesSign() {
        assertThat(StandardWebhooks.isSecret("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[16]))).isFalse();
        assertThat(StandardWebhooks.isSecret("sk_live_abc")).isFalse();
        assertThat(StandardWebhooks.isSecret("whsec_not base64!")).isFalse();
    }
}
