package io.userhub.shared.audit;

import java.util.List;

/** Where records written on their own (not inside another write) go: the audit trail's table, or a list in unit tests. */
@FunctionalInterface
public interface AuditSink {
    void write(List<AuditRecord> records);
}
