package io.userhub.operator;

/** A refusal the operator can act on; printed as a one-line message, exit code 1. */
public class OperatorException extends RuntimeException {
    public OperatorException(String message) {
        super(message, null, false, false);
    }
}
