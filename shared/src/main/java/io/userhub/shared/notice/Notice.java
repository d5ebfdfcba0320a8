package io.userhub.shared.notice;

import io.userhub.shared.crypto.Hashing;

import java.time.Instant;

/**
 * One notice about one session. The event id is stable (derived from the session and the kind),
 * so a consumer can deduplicate the rare second delivery of an at-least-once publish.
 */
public record Notice(NoticeKind kind, String appId, String domainId, String userId, String sessionId, String deviceId, Instant expiresAt) {

    public String eventId() {
        return Hashing.sha256Hex(sessionId + ":" + kind.eventName()).substring(0, 32);
    }

    /** The notice as consumers receive it (an EventBridge event's {@code detail}): never the session's token. */
    public String detail() {
        java.util.Map<String, Object> detail = new java.util.LinkedHashMap<>();
        detail.put("event_id", eventId());
        detail.put("app_id", appId);
        detail.put("domain_id", domainId);
        detail.put("user_id", userId);
        detail.put("session_id", sessionId);
        detail.put("device_id", deviceId);
        detail.put("expires_at", expiresAt.toString());
        return io.userhub.shared.json.Json.write(detail);
    }
}
