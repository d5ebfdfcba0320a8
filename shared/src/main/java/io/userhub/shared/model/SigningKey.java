package io.userhub.shared.model;

/** One key of an app's key ring. HMAC keys only hold a shared secret. */
public record SigningKey(String kid, String alg, String secret, Status status, long createdAt) {

    public enum Status { ACTIVE, RETIRED }

    public boolean isActive() {
        return status == Status.ACTIVE;
    }

    @Override
    public String toString() {
        return "SigningKey[kid=" + kid + ", alg=" + alg + ", status=" + status + "]";
    }
}
