package io.userhub.shared.webhook;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What an answer means for a delivery, and the back-off that outlasts a day. */
class DeliveryPolicyTest {
    @Test
    void successStopsRetryableFailuresRetryAndOtherAnswersStopAtOnce() {
        assertThat(DeliveryPolicy.verdictOf(200)).isEqualTo(DeliveryPolicy.Verdict.DELIVERED);
        assertThat(DeliveryPolicy.verdictOf(204)).isEqualTo(DeliveryPolicy.Verdict.DELIVERED);
        for (int retried : new int[] {0, 408, 429, 500, 502, 503, 504}) {
            assertThat(DeliveryPolicy.verdictOf(retried)).as("status " + retried).isEqualTo(DeliveryPolicy.Verdict.RETRY);
        }
        for (int stopped : new int[] {301, 302, 400, 401, 403, 404, 410, 422}) {
            assertThat(DeliveryPolicy.verdictOf(stopped)).as("status " + stopped).isEqualTo(DeliveryPolicy.Verdict.STOP);
        }
    }

    @Test
    void theScheduleGrowsAndOutlastsADayThenTheDeliveryIsDead() {
        Duration total = Duration.ZERO;
        Duration previous = Duration.ZERO;
        for (int attempts = 1; attempts <= DeliveryPolicy.BACKOFF.size(); attempts++) {
            Duration wait = DeliveryPolicy.nextWait(attempts, Optional.empty(), 1).orElseThrow();
            assertThat(wait).isGreaterThanOrEqualTo(previous);
            previous = wait;
            total = total.plus(wait);
        }
        assertThat(total).isGreaterThan(Duration.ofHours(24));
        assertThat(DeliveryPolicy.nextWait(DeliveryPolicy.BACKOFF.size() + 1, Optional.empty(), 1)).isEmpty();
    }

    @Test
    void aLongerRetryAfterIsHonouredUpToItsCapAndTheLocalFlagShortensEveryWait() {
        assertThat(DeliveryPolicy.nextWait(1, Optional.of(Duration.ofMinutes(2)), 1)).contains(Duration.ofMinutes(2));
        assertThat(DeliveryPolicy.nextWait(2, Optional.of(Duration.ofSeconds(1)), 1)).contains(Duration.ofMinutes(5));
        assertThat(DeliveryPolicy.nextWait(1, Optional.of(Duration.ofDays(3)), 1)).contains(DeliveryPolicy.LONGEST_RETRY_AFTER);
        assertThat(DeliveryPolicy.nextWait(2, Optional.empty(), 0.001)).contains(Duration.ofMillis(300));
    }

    @Test
    void retryAfterIsReadInSecondsOrAsAnHttpDate() {
        Instant now = Instant.parse("2026-12-07T12:00:00Z");
        assertThat(DeliveryPolicy.retryAfter("120", now)).contains(Duration.ofSeconds(120));
        assertThat(DeliveryPolicy.retryAfter("Mon, 07 Dec 2026 12:01:30 GMT", now)).contains(Duration.ofSeconds(90));
        assertThat(DeliveryPolicy.retryAfter("soon", now)).isEmpty();
        assertThat(DeliveryPolicy.retryAfter("99999999999999", now)).isEmpty();
        assertThat(DeliveryPolicy.retryAfter(null, now)).isEmpty();
    }
}
