package io.userhub.shared.model;

/**
 * Where a session is in its life: {@code ACTIVE} → {@code REFRESH_DUE} (the refresh notice was
 * sent) → {@code EXPIRED} (the expiry notice was sent), or {@code LOGGED_OUT} at any time.
 * Stored by name in the session item's {@code state}.
 */
public enum SessionState {
    ACTIVE, REFRESH_DUE, EXPIRED, LOGGED_OUT;

    /** Still usable (its expiry time permitting): neither expired nor logged out. */
    public boolean live() {
        return this == ACTIVE || this == REFRESH_DUE;
    }
}
