package io.userhub.shared.webhook;

import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.event.DomainEvent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which domain events the customer's backend hears of, and as what: the one mapping from
 * {@link DomainEvent} to {@link WebhookEvent}. An event's id is derived from what it is (its cause
 * and place), so the same outcome always carries the same {@code webhook-id}. An identifier's
 * value is never sent: a moved or conflicting identity is named by its identifier.
 */
public final class WebhookEvents {
    private WebhookEvents() {}

    public static final String USER_CREATED = "user.created";
    public static final String USER_MERGED = "user.merged";
    public static final String IDENTITY_MOVED = "identity.moved";
    public static final String IDENTITY_CONFLICT = "identity.conflict";
    public static final String USER_UNMERGED = "user.unmerged";
    public static final String USER_ERASED = "user.erased";
    public static final String SESSIONS_ENDED = "sessions.ended";
    public static final String REFRESH_USER_CREDENTIALS = "refreshUserCredentials";
    public static final String USER_SESSION_EXPIRED = "userSessionExpired";

    /** Every type an endpoint may subscribe to. */
    public static final List<String> TYPES = List.of(USER_CREATED, USER_MERGED, IDENTITY_MOVED, IDENTITY_CONFLICT, USER_UNMERGED,
            USER_ERASED, SESSIONS_ENDED, REFRESH_USER_CREDENTIALS, USER_SESSION_EXPIRED);

    /** The webhook event a domain event becomes, if the customer's backend hears of it. */
    public static Optional<WebhookEvent> of(DomainEvent event) {
        Map<String, Object> data = new LinkedHashMap<>();
        String type;
        String identity;
        if (event instanceof DomainEvent.LoginAccepted accepted && accepted.newUser()) {
            type = USER_CREATED;
            identity = accepted.loginId();
            data.put("user_id", accepted.userId());
        } else if (event instanceof DomainEvent.UsersMerged merged) {
            type = USER_MERGED;
            identity = merged.causeId();
            data.put("user_id", merged.toUserId());
            data.put("merged_user_id", merged.fromUserId());
            data.put("merge_id", merged.causeId());
            data.put("attributes_offered", merged.offered());
        } else if (event instanceof DomainEvent.IdentityMoved moved) {
            type = IDENTITY_MOVED;
            identity = moved.causeId() + "#" + moved.place();
            data.put("identifier", moved.identity().identifier());
            data.put("from_user_id", moved.fromUserId());
            data.put("to_user_id", moved.toUserId());
            data.put("merge_id", moved.causeId());
        } else if (event instanceof DomainEvent.IdentityConflict conflict) {
            type = IDENTITY_CONFLICT;
            identity = conflict.causeId() + "#" + conflict.place();
            data.put("identifier", conflict.identity().identifier());
            data.put("owner_user_id", conflict.ownerUserId());
            data.put("asserted_for_user_id", conflict.assertedForUserId());
        } else if (event instanceof DomainEvent.UserUnmerged unmerged) {
            type = USER_UNMERGED;
            identity = unmerged.userId() + "#" + unmerged.facts().get("merge_id");
            data.put("user_id", unmerged.userId());
            data.putAll(unmerged.facts());
        } else if (event instanceof DomainEvent.UserErased erased) {
            type = USER_ERASED;
            identity = erased.userId() + "#" + erased.at().toEpochMilli();
            data.put("user_id", erased.userId());
        } else if (event instanceof DomainEvent.SessionsEnded ended) {
            type = SESSIONS_ENDED;
            identity = ended.userId() + "#" + ended.cause().wireName() + "#" + ended.at().toEpochMilli();
            data.put("user_id", ended.userId());
            data.put("count", ended.count());
            data.put("cause", ended.cause().wireName());
        } else {
            return Optional.empty();
        }
        return Optional.of(new WebhookEvent(idOf(event.appId(), type, identity), type, event.at(), event.appId(), event.domainId(), data));
    }

    /** The notice's webhook event: the same session and kind always has the same id. */
    public static WebhookEvent of(io.userhub.shared.notice.Notice notice, java.time.Instant at) {
        String type = notice.kind() == io.userhub.shared.notice.NoticeKind.REFRESH ? REFRESH_USER_CREDENTIALS : USER_SESSION_EXPIRED;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("user_id", notice.userId());
        data.put("session_id", notice.sessionId());
        data.put("device_id", notice.deviceId());
        data.put("expires_at", notice.expiresAt().toString());
        return new WebhookEvent(idOf(notice.appId(), type, notice.eventId()), type, at, notice.appId(), notice.domainId(), data);
    }

    /**
     * The body every delivery of the event posts (and its signature covers): the same bytes for
     * each attempt, resend and replay. Field order is fixed.
     */
    public static String body(WebhookEvent event) {
        return io.userhub.shared.json.Json.write(envelope(event));
    }

    /** The event as its body holds it, field by field (the queue's messages carry the same). */
    public static Map<String, Object> envelope(WebhookEvent event) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", event.id());
        body.put("type", event.type());
        body.put("timestamp", event.timestamp().toString());
        body.put("app_id", event.appId());
        body.put("domain_id", event.domainId());
        body.put("data", new java.util.TreeMap<>(event.data()));
        return body;
    }

    /** An event read back from its {@link #envelope}. */
    @SuppressWarnings("unchecked")
    public static WebhookEvent fromEnvelope(com.fasterxml.jackson.databind.JsonNode envelope) {
        return new WebhookEvent(envelope.path("id").asText(), envelope.path("type").asText(),
                java.time.Instant.parse(envelope.path("timestamp").asText()), envelope.path("app_id").asText(),
                envelope.path("domain_id").isTextual() ? envelope.path("domain_id").asText() : null,
                io.userhub.shared.json.Json.MAPPER.convertValue(envelope.path("data"), Map.class));
    }

    /**
     * The webhook events of an outcome that go to the outbox: those of a type some endpoint of the
     * app subscribes to. The app's types are asked for only for an event that is a webhook event
     * (an app's settings change, say, is not: asking would read an app just changed again).
     */
    public static List<WebhookEvent> recorded(List<DomainEvent> events, java.util.function.Function<String, java.util.Set<String>> subscribedTypes) {
        List<WebhookEvent> recorded = new java.util.ArrayList<>();
        for (DomainEvent event : events) {
            of(event).filter(webhook -> subscribedTypes.apply(webhook.appId()).contains(webhook.type())).ifPresent(recorded::add);
        }
        return recorded;
    }

    /** {@code msg_} and 32 hex digits of the SHA-256 of what the event is: stable across retries and replays. */
    static String idOf(String appId, String type, String identity) {
        return "msg_" + Hashing.sha256Hex(appId + "|" + type + "|" + identity).substring(0, 32);
    }
}
