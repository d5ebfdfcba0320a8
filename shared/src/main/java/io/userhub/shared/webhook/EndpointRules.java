package io.userhub.shared.webhook;

import io.userhub.shared.validation.ErrorCode;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an endpoint may be: the one home of its limits. The URL's own rule (HTTPS to a public
 * address) is the outbound policy's, applied by the use case at configuration and by the sender
 * at every delivery.
 */
public final class EndpointRules {
    private EndpointRules() {}

    public static final int MAX_ENDPOINTS_PER_APP = 10;
    public static final int MAX_URL_LENGTH = 2048;
    public static final int MAX_DESCRIPTION_LENGTH = 200;
    /** How long a rotated secret keeps signing beside the new one, unless the rotation says otherwise. */
    public static final Duration DEFAULT_ROTATION_OVERLAP = Duration.ofHours(24);
    public static final Duration MAX_ROTATION_OVERLAP = Duration.ofDays(7);
    /** An endpoint failing (its deliveries dead, none delivered since) this long is disabled. */
    public static final Duration DISABLED_AFTER_FAILING = Duration.ofDays(5);
    /** How long events are kept for replay, and deliveries for their log. */
    public static final Duration EVENT_RETENTION = Duration.ofDays(30);
    /** The most events one replay sends; a longer window is replayed in parts (the answer says where to go on). */
    public static final int MAX_REPLAY_EVENTS = 1000;
    public static final int MAX_LISTED_DELIVERIES = 100;
    public static final int DEFAULT_LISTED_DELIVERIES = 50;

    /** The event types asked for: at least one, each a known type, none twice. */
    public static Set<String> eventTypes(Collection<String> asked) {
        if (asked == null || asked.isEmpty()) {
            throw Problem.field("event_types", ErrorCode.MISSING).reject();
        }
        Set<String> types = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String type : asked) {
            if (type == null || !WebhookEvents.TYPES.contains(type)) {
                unknown.add(String.valueOf(type));
            } else {
                types.add(type);
            }
        }
        if (!unknown.isEmpty()) {
            throw new Problem(Reason.FIELD_INVALID, Map.of("event_types", ErrorCode.INVALID_VALUE.name()),
                    Map.of("unknown_event_types", unknown, "known_event_types", WebhookEvents.TYPES)).reject();
        }
        return types;
    }

    public static String description(String text) {
        if (text != null && text.length() > MAX_DESCRIPTION_LENGTH) {
            throw Problem.field("description", ErrorCode.VALUE_LENGTH_LIMIT_EXCEEDED).reject();
        }
        return text == null ? "" : text;
    }

    /** The URL's length: what the outbound policy refuses is said by {@link Reason#WEBHOOK_URL_REFUSED}. */
    public static String url(String url) {
        if (url == null || url.isBlank()) {
            throw Problem.field("url", ErrorCode.MISSING).reject();
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw Problem.field("url", ErrorCode.VALUE_LENGTH_LIMIT_EXCEEDED).reject();
        }
        return url;
    }

    public static Duration rotationOverlap(Long hours) {
        if (hours == null) {
            return DEFAULT_ROTATION_OVERLAP;
        }
        if (hours < 0 || Duration.ofHours(hours).compareTo(MAX_ROTATION_OVERLAP) > 0) {
            throw Problem.field("overlap_hours", ErrorCode.INVALID_VALUE).reject();
        }
        return Duration.ofHours(hours);
    }

    /** A replay's window: since before until, within the events' retention. */
    public static void replayWindow(Instant since, Instant until, Instant now) {
        if (since == null) {
            throw Problem.field("since", ErrorCode.MISSING).reject();
        }
        if (until != null && !since.isBefore(until)) {
            throw Problem.field("until", ErrorCode.INVALID_VALUE).reject();
        }
        if (since.isBefore(now.minus(EVENT_RETENTION))) {
            throw Problem.field("since", ErrorCode.INVALID_VALUE).reject();
        }
    }

    /** Whether a failing endpoint has failed long enough to be disabled. */
    public static boolean disabledBy(Instant failingSince, Instant now) {
        return failingSince != null && !failingSince.plus(DISABLED_AFTER_FAILING).isAfter(now);
    }

    /** A new endpoint's id: {@code ep_} and 24 hex digits. */
    public static String newEndpointId() {
        return "ep_" + io.userhub.shared.crypto.Hashing.randomId().substring(0, 24);
    }

    public static boolean isEndpointId(String id) {
        return id != null && id.matches("ep_[0-9a-f]{24}");
    }
}
