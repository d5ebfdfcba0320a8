package io.userhub.shared.store;

import java.util.Set;

/** How a store's transactional write ended: committed, or refused with the guards whose conditions failed. */
public sealed interface Commit {
    record Committed() implements Commit {}

    /** @param conflict DynamoDB cancelled for a concurrent transaction on the same item rather than a condition */
    record Refused(Set<Guard> failed, boolean conflict) implements Commit {
        public Refused {
            failed = Set.copyOf(failed);
        }

        public boolean failed(Guard guard) {
            return failed.contains(guard);
        }
    }

    Commit COMMITTED = new Committed();
}
