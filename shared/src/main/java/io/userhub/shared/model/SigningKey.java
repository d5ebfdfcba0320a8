package io.userhub.shared.model;

/**
 * One key of an app's key ring: an HS256/384/512 shared secret, or (RS256, ES256) the PEM public
 * key of a key pair whose private half stays with the customer's backend. A key may carry a
 * schedule: it verifies and signs only from {@code notBefore} and until {@code retireAt} (epoch
 * seconds, null for none), so a rotation can be planned ahead instead of run at the minute.
 */
public record SigningKey(String kid, String alg, String secret, Status status, long createdAt, Long notBefore, Long retireAt) {

    public enum Status { ACTIVE, RETIRED }

    public SigningKey(String kid, String alg, String secret, Status status, long createdAt) {
        this(kid, alg, secret, status, createdAt, null, null);
    }

    /** Active, and inside its schedule at {@code now}. */
    public boolean usableAt(java.time.Instant now) {
        long seconds = now.getEpochSecond();
        return isActive() && (notBefore == null || seconds >= notBefore) && (retireAt == null || seconds < retireAt);
    }

    public SigningKey withSchedule(Long notBefore, Long retireAt) {
        return new SigningKey(kid, alg, secret, status, createdAt, notBefore, retireAt);
    }

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
