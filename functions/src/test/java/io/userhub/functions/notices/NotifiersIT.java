package io.userhub.functions.notices;

import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.functions.support.Harness;
import io.userhub.functions.support.RecordingPublisher;
import io.userhub.shared.model.SessionRecord;
import io.userhub.shared.notice.Notice;
import io.userhub.shared.notice.NoticeKind;
import io.userhub.shared.store.SessionStore;
import io.userhub.shared.session.SessionTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notifiers against DynamoDB Local with a hand-moved clock. Notifiers sweep every app's
 * sessions, so each test has tables of its own.
 */
@ExtendWith(DynamoDbLocalExtension.class)
public class NotifiersIT {
    private final Harness h = Harness.isolated();
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final SessionStore sessions = new SessionStore(h.wiring.dynamo(), h.wiring.tables().sessions());

    private NoticeSweep sweep() {
        return new NoticeSweep(sessions, publisher, h.clock, h.wiring.parallel());
    }

    private NoticeSweep.Report refresh(int max) {
        return sweep().run(NoticeKind.REFRESH, max, () -> true);
    }

    private NoticeSweep.Report expiry(int max) {
        return sweep().run(NoticeKind.EXPIRY, max, () -> true);
    }

    private List<String> loginMany(int count) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tokens.add(h.sessionFor("device-" + i, "uid", "user-" + i));
        }
        return tokens;
    }

    private SessionRecord record(String token) {
        return sessions.find(SessionTokens.parse(token).orElseThrow()).orElseThrow();
    }

    @Test
    void onlySessionsWhoseRefreshTimeHasComeGetARefreshNotice() {
        String token = h.sessionFor("phone", "uid", "u-1");
        h.clock.advance(Duration.ofMinutes(23 * 60 + 29));
        assertThat(refresh(100).notified()).isZero();
        assertThat(publisher.published).isEmpty();

        h.clock.advance(Duration.ofMinutes(1));
        NoticeSweep.Report report = refresh(100);
        assertThat(report.notified()).isEqualTo(1);
        Notice notice = publisher.published.get(0);
        assertThat(notice.kind()).isEqualTo(NoticeKind.REFRESH);
        assertThat(notice.appId()).isEqualTo(h.app.appId());
        assertThat(notice.deviceId()).isEqualTo("phone");
        assertThat(notice.sessionId()).isEqualTo(record(token).session().sessionId()).isNotEqualTo(token);

        assertThat(record(token).state()).isEqualTo(io.userhub.shared.model.SessionState.REFRESH_DUE);
        var state = h.session(token);
        assertThat(state.text("/state")).isEqualTo("refresh_due");
        assertThat(state.text("/notices/0/type")).isEqualTo("refreshUserCredentials");
        assertThat(state.text("/notices/0/event_id")).isEqualTo(notice.eventId());

        assertThat(refresh(100).notified()).as("a second run notifies nothing").isZero();
    }

    @Test
    void expiredSessionsAreMarkedExpiredNotifiedAndRefused() {
        String token = h.sessionFor("phone", "uid", "u-1");
        h.clock.advance(Duration.ofHours(24).minusSeconds(1));
        assertThat(expiry(100).notified()).isZero();
        h.clock.advance(Duration.ofSeconds(1));
        assertThat(expiry(100).notified()).isEqualTo(1);
        assertThat(publisher.published).extracting(Notice::kind).containsExactly(NoticeKind.EXPIRY);
        assertThat(record(token).state()).isEqualTo(io.userhub.shared.model.SessionState.EXPIRED);
        assertThat(record(token).notices()).extracting(SessionRecord.Notice::type).containsExactly("userSessionExpired");

        var refused = h.session(token);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.reason()).isEqualTo("SESSION_EXPIRED");
        assertThat(expiry(100).notified()).isZero();
        assertThat(refresh(100).notified()).as("an expired session gets no refresh notice").isZero();
    }

    @Test
    void aSessionPastBothTimesGetsOnlyTheExpiryNotice() {
        h.sessionFor("phone", "uid", "u-1");
        h.clock.advance(Duration.ofHours(30));
        assertThat(refresh(100).notified()).isZero();
        assertThat(expiry(100).notified()).isEqualTo(1);
    }

    @Test
    void loggedOutAndReplacedSessionsAreNeverNotified() {
        String loggedOut = h.sessionFor("phone", "uid", "u-1");
        h.logout(loggedOut);
        h.sessionFor("tablet", "uid", "u-2");
        h.sessionFor("tablet", "uid", "u-2");
        h.clock.advance(Duration.ofHours(25));
        assertThat(refresh(100).notified()).isZero();
        assertThat(expiry(100).notified()).isEqualTo(1);
        assertThat(publisher.published).extracting(Notice::deviceId).containsExactly("tablet");
    }

    @Test
    void aReloginWithAFreshTokenStartsWithoutNotices() {
        h.sessionFor("phone", "uid", "u-1");
        h.clock.advance(Duration.ofMinutes(23 * 60 + 45));
        refresh(100);
        String fresh = h.sessionFor("phone", "uid", "u-1");
        var state = h.session(fresh);
        assertThat(state.text("/state")).isEqualTo("active");
        assertThat(state.body().get("notices")).isEmpty();
    }

    @Test
    void overlappingRunsNeverNotifyTwice() throws Exception {
        loginMany(40);
        h.clock.advance(Duration.ofHours(24).plusMinutes(1));
        ExecutorService executor = Executors.newFixedThreadPool(3);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<NoticeSweep.Report>> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                runs.add(executor.submit(() -> {
                    start.await();
                    return new NoticeSweep(sessions, publisher, h.clock, Executors.newFixedThreadPool(4)).run(NoticeKind.EXPIRY, 1000, () -> true);
                }));
            }
            start.countDown();
            int notified = 0;
            for (Future<NoticeSweep.Report> run : runs) {
                notified += run.get(60, TimeUnit.SECONDS).notified();
            }
            assertThat(notified).isEqualTo(40);
        } finally {
            executor.shutdownNow();
        }
        assertThat(publisher.published).hasSize(40);
        assertThat(publisher.published.stream().map(Notice::eventId).distinct()).hasSize(40);
    }

    @Test
    void aRunThatFindsSessionsClaimedByAnotherRunLeavesThemAlone() throws Exception {
        loginMany(5);
        h.clock.advance(Duration.ofHours(25));
        CountDownLatch firstIsPublishing = new CountDownLatch(1);
        CountDownLatch secondDone = new CountDownLatch(1);
        publisher.beforePublish(() -> {
            if (firstIsPublishing.getCount() > 0) {
                firstIsPublishing.countDown();
                try {
                    secondDone.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<NoticeSweep.Report> first = executor.submit(() ->
                    new NoticeSweep(sessions, publisher, h.clock, Executors.newSingleThreadExecutor()).run(NoticeKind.EXPIRY, 1000, () -> true));
            assertThat(firstIsPublishing.await(10, TimeUnit.SECONDS)).isTrue();
            publisher.beforePublish(() -> { });
            NoticeSweep.Report second = expiry(1000);
            secondDone.countDown();
            NoticeSweep.Report firstReport = first.get(30, TimeUnit.SECONDS);
            assertThat(second.claimedElsewhere()).isPositive();
            assertThat(firstReport.notified() + second.notified()).isEqualTo(5);
        } finally {
            executor.shutdownNow();
        }
        assertThat(publisher.published.stream().map(Notice::eventId).distinct()).hasSize(5);
        assertThat(publisher.published).hasSize(5);
    }

    @Test
    void aFailedPublishLeavesTheSessionUnmarkedAndTheNextRunRetriesIt() {
        String token = h.sessionFor("phone", "uid", "u-1");
        h.clock.advance(Duration.ofHours(24).plusMinutes(5));
        publisher.refuseWhen(n -> true);
        NoticeSweep.Report failed = expiry(100);
        assertThat(failed.publishFailed()).isEqualTo(1);
        assertThat(failed.notified()).isZero();
        assertThat(record(token).state()).isEqualTo(io.userhub.shared.model.SessionState.ACTIVE);
        assertThat(record(token).notices()).isEmpty();

        publisher.refuseWhen(n -> false);
        NoticeSweep.Report retried = expiry(100);
        assertThat(retried.notified()).isEqualTo(1);
        assertThat(record(token).state()).isEqualTo(io.userhub.shared.model.SessionState.EXPIRED);
    }

    @Test
    void aClaimLeftByACrashedRunIsRetriedAfterItsLeaseWithTheSameEventId() {
        String token = h.sessionFor("phone", "uid", "u-1");
        h.clock.advance(Duration.ofHours(25));
        String key = SessionStore.itemKey(SessionTokens.parse(token).orElseThrow());
        assertThat(sessions.claimNotice(key, NoticeKind.EXPIRY, "crashed-run", h.clock.instant(), NoticeSweep.LEASE_SECONDS)).isTrue();

        NoticeSweep.Report meanwhile = expiry(100);
        assertThat(meanwhile.notified()).isZero();
        assertThat(meanwhile.claimedElsewhere()).isEqualTo(1);

        h.clock.advance(Duration.ofSeconds(NoticeSweep.LEASE_SECONDS + 1));
        assertThat(expiry(100).notified()).isEqualTo(1);
        Notice expected = new Notice(NoticeKind.EXPIRY, h.app.appId(), h.app.domainId(), record(token).session().userId(),
                record(token).session().sessionId(), "phone", record(token).session().expiresAt());
        assertThat(publisher.published.get(0).eventId()).isEqualTo(expected.eventId());
    }

    @Test
    void aRunStopsAtItsBudgetAndTheNextRunPicksUpTheRest() {
        loginMany(25);
        h.clock.advance(Duration.ofHours(25));
        NoticeSweep.Report first = expiry(10);
        assertThat(first.notified()).isEqualTo(10);
        assertThat(first.cutShort()).isTrue();
        NoticeSweep.Report second = expiry(10);
        assertThat(second.notified()).isEqualTo(10);
        NoticeSweep.Report third = expiry(10);
        assertThat(third.notified()).isEqualTo(5);
        assertThat(publisher.published.stream().map(Notice::sessionId).distinct()).hasSize(25);
    }

    @Test
    void aRunOutOfTimeTakesNothingMore() {
        loginMany(3);
        h.clock.advance(Duration.ofHours(25));
        NoticeSweep.Report report = sweep().run(NoticeKind.EXPIRY, 1000, () -> false);
        assertThat(report.notified()).isZero();
        assertThat(report.cutShort()).isTrue();
        assertThat(expiry(1000).notified()).isEqualTo(3);
    }

    @Test
    void notifiersQueryTheIndexAndNeverScan() {
        loginMany(12);
        h.clock.advance(Duration.ofHours(25));
        h.recorder.reset();
        new ExpiryNotifierHandler(h.wiring, publisher).handleRequest(java.util.Map.of(), null);
        assertThat(h.recorder.operations()).doesNotContain("Scan").contains("Query");
        assertThat(publisher.published).hasSize(12);
    }
}
