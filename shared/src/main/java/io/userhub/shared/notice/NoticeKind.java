package io.userhub.shared.notice;

/** The two session notices of the Helpshift seeds, and the state a session moves to with each. */
public enum NoticeKind {
    /** Sent some time before expiry so the app can re-login and keep the session (refreshUserCredentials). */
    REFRESH("refreshUserCredentials"),
    /** Sent when the session has expired; requests with it then get SESSION_EXPIRED (userSessionExpired). */
    EXPIRY("userSessionExpired");

    private final String eventName;

    NoticeKind(String eventName) {
        this.eventName = eventName;
    }

    public String eventName() {
        return eventName;
    }
}
