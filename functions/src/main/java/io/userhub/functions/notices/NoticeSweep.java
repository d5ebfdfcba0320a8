package io.userhub.functions.notices;

import io.userhub.shared.model.Session;
import io.userhub.shared.notice.Notice;
import io.userhub.shared.notice.NoticeKind;
import io.userhub.shared.notice.NoticePublisher;
import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.port.DueNotices;
import io.userhub.shared.port.DueNotices.DuePage;
import io.userhub.shared.port.DueNotices.DueSession;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * One run of a notifier: finds due sessions through the sparse, sharded DueSessions index (never
 * a Scan), claims each with a conditional update, publishes in batches of 10, then marks the
 * claimed ones done or gives them back. Bounded by a number of sessions and a deadline; what
 * it leaves, the next run picks up.
 */
public final class NoticeSweep {
    /** Longer than a run may last, so a lease only outlives a run that crashed. */
    static final long LEASE_SECONDS = 120;
    private static final int PAGE_SIZE = 100;
    private static final int PUBLISH_BATCH = 10;

    public record Report(NoticeKind kind, int examined, int notified, int claimedElsewhere, int publishFailed, boolean cutShort) {}

    private final DueNotices sessions;
    private final NoticePublisher publisher;
    private final Clock clock;
    private final Executor parallel;

    public NoticeSweep(DueNotices sessions, NoticePublisher publisher, Clock clock, Executor parallel) {
        this.sessions = sessions;
        this.publisher = publisher;
        this.clock = clock;
        this.parallel = parallel;
    }

    /**
     * @param maxSessions at most this many due sessions are handled in this run
     * @param timeLeft    false once the run must stop (the Lambda's deadline)
     */
    public Report run(NoticeKind kind, int maxSessions, BooleanSupplier timeLeft) {
        Instant now = clock.instant();
        String runId = Hashing.randomId();
        AtomicInteger examined = new AtomicInteger();
        AtomicInteger notified = new AtomicInteger();
        AtomicInteger claimedElsewhere = new AtomicInteger();
        AtomicInteger publishFailed = new AtomicInteger();
        AtomicBoolean cutShort = new AtomicBoolean();
        // Rotate the first shard each minute so a busy shard cannot starve the others under the budget.
        int shardCount = sessions.shards();
        int first = (int) Math.floorMod(now.getEpochSecond() / 60, shardCount);
        List<CompletableFuture<Void>> shards = new ArrayList<>();
        for (int i = 0; i < shardCount; i++) {
            int shard = (first + i) % shardCount;
            shards.add(CompletableFuture.runAsync(() -> {
                Optional<String> page = Optional.empty();
                do {
                    int room = maxSessions - examined.get();
                    if (room <= 0 || !timeLeft.getAsBoolean()) {
                        cutShort.set(true);
                        return;
                    }
                    DuePage due = sessions.queryDue(shard, kind, now, Math.min(PAGE_SIZE, room), page);
                    List<DueSession> batch = new ArrayList<>();
                    for (DueSession session : due.sessions()) {
                        if (examined.incrementAndGet() > maxSessions) {
                            examined.decrementAndGet();
                            cutShort.set(true);
                            break;
                        }
                        batch.add(session);
                        if (batch.size() == PUBLISH_BATCH) {
                            notify(kind, runId, now, batch, notified, claimedElsewhere, publishFailed);
                            batch.clear();
                        }
                    }
                    notify(kind, runId, now, batch, notified, claimedElsewhere, publishFailed);
                    page = due.nextPage();
                } while (page.isPresent());
            }, parallel));
        }
        shards.forEach(CompletableFuture::join);
        return new Report(kind, examined.get(), notified.get(), claimedElsewhere.get(), publishFailed.get(), cutShort.get());
    }

    private void notify(NoticeKind kind, String runId, Instant now, List<DueSession> batch,
                        AtomicInteger notified, AtomicInteger claimedElsewhere, AtomicInteger publishFailed) {
        List<DueSession> claimed = new ArrayList<>();
        for (DueSession session : batch) {
            if (sessions.claimNotice(session.key(), kind, runId, now, LEASE_SECONDS)) {
                claimed.add(session);
            } else {
                claimedElsewhere.incrementAndGet();
            }
        }
        if (claimed.isEmpty()) {
            return;
        }
        List<Notice> notices = claimed.stream().map(s -> toNotice(kind, s.record().session())).toList();
        List<Boolean> accepted = publisher.publish(notices);
        for (int i = 0; i < claimed.size(); i++) {
            DueSession session = claimed.get(i);
            if (i < accepted.size() && accepted.get(i)) {
                sessions.completeNotice(session, kind, runId, notices.get(i).eventId(), now);
                notified.incrementAndGet();
            } else {
                sessions.releaseNotice(session.key(), runId);
                publishFailed.incrementAndGet();
            }
        }
    }

    static Notice toNotice(NoticeKind kind, Session session) {
        return new Notice(kind, session.appId(), session.domainId(), session.userId(), session.sessionId(), session.deviceId(), session.expiresAt());
    }
}
