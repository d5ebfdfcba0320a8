package io.userhub.shared.port;

import io.userhub.shared.model.SessionRecord;
import io.userhub.shared.notice.NoticeKind;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The sessions whose next notice (refresh, then expiry) is due, as the notifiers' sweep needs
 * them: read a shard at a time, each claimed for one run under a lease before its notice is
 * published, then completed (or released for the next run). The DynamoDB adapter is
 * {@code store.SessionStore} and its sparse, sharded DueSessions index.
 */
public interface DueNotices {
    /** A due session: the key of the item that holds it, and what it holds. */
    record DueSession(String key, SessionRecord record) {}

    /** A page of due sessions of one shard, and the opaque cursor of the next one. */
    record DuePage(List<DueSession> sessions, Optional<String> nextPage) {}

    /** How many shards the due sessions are spread over (a run reads each). */
    int shards();

    DuePage queryDue(int shard, NoticeKind kind, Instant now, int limit, Optional<String> cursor);

    /** Claims the session's notice for this run until the lease ends; false when another run holds it or it is no longer due. */
    boolean claimNotice(String key, NoticeKind kind, String runId, Instant now, long leaseSeconds);

    /** Records the published notice (its event id) and moves the session to its next notice or out of the index. */
    boolean completeNotice(DueSession due, NoticeKind kind, String runId, String eventId, Instant now);

    /** Gives a claim back after a failed publish, so that the next run retries at once. */
    boolean releaseNotice(String key, String runId);
}
