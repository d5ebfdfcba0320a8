package io.userhub.shared.eventbridge;

import io.userhub.shared.notice.Notice;
import io.userhub.shared.notice.NoticePublisher;

import io.userhub.shared.json.Json;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes notices to the project's EventBridge bus, at most 10 per PutEvents call. The detail
 * carries app, user, session id, device and expiry: never the session token.
 */
public final class EventBridgeNoticePublisher implements NoticePublisher {
    public static final String SOURCE = "userhub.sessions";

    private final EventBridgeClient events;
    private final String busName;

    public EventBridgeNoticePublisher(EventBridgeClient events, String busName) {
        this.events = events;
        this.busName = busName;
    }

    @Override
    public List<Boolean> publish(List<Notice> notices) {
        if (notices.isEmpty()) {
            return List.of();
        }
        if (notices.size() > 10) {
            throw new IllegalArgumentException("PutEvents takes at most 10 entries");
        }
        List<PutEventsRequestEntry> entries = new ArrayList<>();
        for (Notice notice : notices) {
            entries.add(PutEventsRequestEntry.builder()
                    .eventBusName(busName)
                    .source(SOURCE)
                    .detailType(notice.kind().eventName())
                    .detail(notice.detail())
                    .time(java.time.Instant.now())
                    .build());
        }
        try {
            PutEventsResponse response = events.putEvents(PutEventsRequest.builder().entries(entries).build());
            List<Boolean> accepted = new ArrayList<>();
            List<PutEventsResultEntry> results = response.entries();
            for (int i = 0; i < notices.size(); i++) {
                accepted.add(i < results.size() && results.get(i).errorCode() == null);
            }
            return accepted;
        } catch (SdkException unavailable) {
            // Every notice stays unmarked and the next run retries it.
            return new ArrayList<>(Collections.nCopies(notices.size(), false));
        }
    }
}
