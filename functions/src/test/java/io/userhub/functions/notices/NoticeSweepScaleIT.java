package io.userhub.functions.notices;

import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.testkit.MutableClock;
import io.userhub.testkit.RoundTripRecorder;
import io.userhub.testkit.TestSessions;
import io.userhub.functions.support.RecordingPublisher;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.model.Session;
import io.userhub.shared.notice.Notice;
import io.userhub.shared.notice.NoticeKind;
import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.store.SessionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 10,000 due sessions swept by the expiry notifier, with the DynamoDB calls it makes counted and
 * printed (docs/performance.md). Asserts the shape of the work (no Scan, one claim and one mark
 * per session, queries in pages), not its speed.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class NoticeSweepScaleIT {
    private static final int SESSIONS = 10_000;

    @Test
    void tenThousandDueSessionsAreSweptWithCountedCalls() {
        Instant start = MutableClock.TEST_START;
        MutableClock clock = MutableClock.at(start);
        RoundTripRecorder recorder = new RoundTripRecorder();
        Wiring wiring = DynamoDbLocalExtension.isolatedWiring(clock, recorder);
        SessionStore sessions = new SessionStore(wiring.dynamo(), wiring.tables().sessions());
        seed(wiring, sessions, start);
        clock.advance(Duration.ofHours(25));

        RecordingPublisher publisher = new RecordingPublisher();
        recorder.reset();
        long began = System.nanoTime();
        NoticeSweep.Report report = new NoticeSweep(sessions, publisher, clock, wiring.parallel()).run(NoticeKind.EXPIRY, SESSIONS, () -> true);
        long millis = (System.nanoTime() - began) / 1_000_000;

        Map<String, Long> calls = recorder.calls().stream()
                .collect(Collectors.groupingBy(RoundTripRecorder.Call::operation, Collectors.counting()));
        System.out.printf("notice sweep: %d sessions notified in %d ms; DynamoDB calls %s; PutEvents batches %d%n",
                report.notified(), millis, calls, publisher.calls.get());

        assertThat(report.notified()).isEqualTo(SESSIONS);
        assertThat(publisher.published.stream().map(Notice::sessionId).distinct()).hasSize(SESSIONS);
        assertThat(calls).doesNotContainKey("Scan");
        assertThat(calls.get("UpdateItem")).isEqualTo(2L * SESSIONS);
        assertThat(publisher.calls.get()).isBetween(SESSIONS / 10, SESSIONS / 10 + SESSIONS / 100 + SessionStore.NOTICE_SHARDS);
        assertThat(calls.get("Query")).isBetween((long) SESSIONS / 100, (long) SESSIONS / 100 + 2L * SessionStore.NOTICE_SHARDS);
    }

    /** Stored as logins store them (one UpdateItem of each device's item), eight at a time. */
    private static void seed(Wiring wiring, SessionStore sessions, Instant start) {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<String>> stored = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                Session session = new Session(Hashing.randomId(), "scale-app", "scale-domain", "user-" + i, "device-" + i,
                        start, start.plus(Duration.ofHours(24)), start.plus(Duration.ofMinutes(23 * 60 + 30)), false, false);
                stored.add(pool.submit(() -> TestSessions.store(sessions, session)));
            }
            for (java.util.concurrent.Future<String> token : stored) {
                token.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }
}
