package io.userhub.shared.model;

/**
 * One key of an app's key ring: an HS256/384/512 shared secret, or (RS256, ES256) the PEM public
 * key of a key pair whose private half stays with the customer's backend.
 */
public record SigningKey(String kid, String alg, String secret, Status status, long createdAt) {

    public enum Status { ACTIVE, RETIRED }

    public boolean isSharedSecret() {
        return alg.startsWith("HS");
    }

    public boolean isActive() {
        return status == Status.ACTIVE;
    }

    @Override
    public String toString() {
        return "SigningKey[kid=" + kid + ", alg=" + alg + ", status=" + status + "]";
    }
}
