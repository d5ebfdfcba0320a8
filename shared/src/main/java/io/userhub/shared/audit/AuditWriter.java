package io.userhub.shared.audit;

import io.userhub.shared.event.DomainEvent;
import io.userhub.shared.event.EventBatch;
import io.userhub.shared.event.EventSubscriber;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The one writer of the audit trail: turns each outcome's events into records once the outcome is
 * known. Records that rode in the outcome's own transaction are not written again; the others (a
 * returning login's, whose one UpdateItem cannot carry a second item) are written right after the
 * outcome, off the answer's path, so the login still answers after two round trips. Refused
 * logins are counted per app, reason and minute ({@link RefusalTally}) and written the same way.
 * The records of what the customer's backend or operator did (an erase, an unmerge, sessions
 * ended, settings and key changes) are written before the answer (with the same few attempts).
 * Nothing is written before its outcome: a login that ends refused leaves no "accepted" record.
 * One instance per runtime (its tally counts across requests).
 */
public final class AuditWriter implements EventSubscriber {
    private static final int WRITE_ATTEMPTS = 3;

    private final AuditSink sink;
    private final Executor afterAnswer;
    private final RefusalTally refusals = new RefusalTally();

    /**
     * @param sink        the audit trail
     * @param afterAnswer runs writes that follow an answer (a background thread in a function; the caller's in tests)
     */
    public AuditWriter(AuditSink sink, Executor afterAnswer) {
        this.sink = sink;
        this.afterAnswer = afterAnswer;
    }

    @Override
    public void on(EventBatch batch) {
        List<AuditRecord> afterTheAnswer = new ArrayList<>();
        List<AuditRecord> beforeTheAnswer = new ArrayList<>();
        for (DomainEvent event : batch.events()) {
            if (event instanceof DomainEvent.LoginRefused refused) {
                afterTheAnswer.addAll(refusals.note(refused.appId(), refused.domainId(), refused.facts(), refused.at()));
            } else if (!batch.recordedWithTheWrite() && AuditRecords.isRecordedOnItsOwn(event)) {
                (ofTheLogin(event) ? afterTheAnswer : beforeTheAnswer).add(AuditRecords.of(event));
            }
        }
        if (!beforeTheAnswer.isEmpty()) {
            write(beforeTheAnswer);
        }
        if (!afterTheAnswer.isEmpty()) {
            afterAnswer.execute(() -> write(afterTheAnswer));
        }
    }

    private static boolean ofTheLogin(DomainEvent event) {
        return event instanceof DomainEvent.LoginAccepted || event instanceof DomainEvent.IdentityMoved
                || event instanceof DomainEvent.IdentityConflict || event instanceof DomainEvent.UsersMerged;
    }

    /** A few attempts against a throttled table; a record still refused then is lost, never made up. */
    private void write(List<AuditRecord> records) {
        for (int attempt = 1; ; attempt++) {
            try {
                sink.write(records);
                return;
            } catch (RuntimeException fault) {
                if (attempt == WRITE_ATTEMPTS) {
                    return;
                }
                try {
                    Thread.sleep(50L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
