package io.userhub.shared.notice;

import io.userhub.shared.crypto.Hashing;

import java.time.Instant;

/**
 * One notice about one session. The event id is stable (derived from the session and the kind),
 * so a consumer can deduplicate the rare second delivery of an at-least-once publish.
 */
public record Notice(NoticeKind kind, String appId, String userId, String sessionId, String deviceId, Instant expiresAt) {

    public String eventId() {
        return Hashing.sha256Hex(sessionId + ":" + kind.eventName()).substring(0, 32);
    }
}
