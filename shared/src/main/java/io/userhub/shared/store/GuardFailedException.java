package io.userhub.shared.store;

import io.userhub.shared.port.Guard;

import io.userhub.shared.port.Commit;

import java.util.Set;

/** A transaction was cancelled (inside the stores; what leaves them is a {@link Commit}); {@link #failed()} says which guards' conditions did not hold. */
final class GuardFailedException extends RuntimeException {
    private final Set<Guard> failed;
    private final boolean conflict;

    public GuardFailedException(Set<Guard> failed, boolean conflict) {
        super("transaction cancelled: " + failed + (conflict ? " (conflict)" : ""), null, false, false);
        this.failed = Set.copyOf(failed);
        this.conflict = conflict;
    }

    public Set<Guard> failed() {
        return failed;
    }

    /** True when DynamoDB cancelled for a concurrent transaction on the same item rather than a condition. */
    public boolean conflict() {
        return conflict;
    }
}
