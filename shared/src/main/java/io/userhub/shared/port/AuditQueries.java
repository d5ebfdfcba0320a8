package io.userhub.shared.port;

import io.userhub.shared.audit.AuditKind;
import io.userhub.shared.audit.AuditRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

/** The audit trail as its routes read it: by app or by user, in pages, within the retention. */
public interface AuditQueries {
    /** A page of records, oldest first, and the cursor of the next page if there may be one. */
    record Page(List<AuditRecord> records, Optional<String> nextCursor) {}

    /** How long records are kept. */
    Duration retention();

    Page appRecords(String appId, Set<AuditKind> kinds, Instant since, Optional<String> cursor, int limit, Executor parallel);

    Page userRecords(String domainId, String userId, Set<AuditKind> kinds, Instant since, Optional<String> cursor, int limit);

    /** Every record of the user still kept (an export). */
    List<AuditRecord> allUserRecords(String domainId, String userId);
}
