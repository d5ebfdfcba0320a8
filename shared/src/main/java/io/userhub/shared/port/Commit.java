package io.userhub.shared.port;

import java.util.Set;

/** How a store's transactional write ended: committed, or refused with the guards whose conditions failed. */
public sealed interface Commit {
    /**
     * @param eventsRecorded the audit records of the outcome's events were part of the write (its
     *                       transaction); false for a write that could not carry them (one UpdateItem)
     */
    record Committed(boolean eventsRecorded) implements Commit {}

    /** @param conflict DynamoDB cancelled for a concurrent transaction on the same item rather than a condition */
    record Refused(Set<Guard> failed, boolean conflict) implements Commit {
        public Refused {
            failed = Set.copyOf(failed);
        }

        public boolean failed(Guard guard) {
            return failed.contains(guard);
        }
    }

    Commit COMMITTED = new Committed(true);

    /** Committed by a write that carried no audit record: the audit writer writes them after it. */
    Commit COMMITTED_WITHOUT_RECORDS = new Committed(false);
}
