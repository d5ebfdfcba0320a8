package io.userhub.shared.validation;

/**
 * Carries a {@link Problem} out of deep validation code to the use case, which turns it into
 * its failure result. No stack trace: it is an expected outcome, not a bug.
 */
public final class Rejection extends RuntimeException {
    private final transient Problem problem;

    public Rejection(Problem problem) {
        super(problem.reason().name(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
