package io.userhub.functions.support;

import io.userhub.shared.webhook.WebhookEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Outbox events as the webhooks table's stream hands them to the fan-out (Lambda's DynamoDB event, NEW_IMAGE). */
public final class StreamEvents {
    private StreamEvents() {}

    public static Map<String, Object> of(List<WebhookEvent> events) {
        List<Object> records = new ArrayList<>();
        for (WebhookEvent event : events) {
            Map<String, Object> image = new LinkedHashMap<>();
            image.put("pk", Map.of("S", "APP#" + event.appId()));
            image.put("kind", Map.of("S", "event"));
            image.put("event_id", Map.of("S", event.id()));
            image.put("event_type", Map.of("S", event.type()));
            image.put("at", Map.of("S", event.timestamp().toString()));
            image.put("app_id", Map.of("S", event.appId()));
            image.put("domain_id", Map.of("S", event.domainId()));
            image.put("data", Map.of("S", io.userhub.shared.json.Json.write(event.data())));
            records.add(Map.of("eventName", "INSERT", "eventSource", "aws:dynamodb",
                    "dynamodb", Map.of("NewImage", image, "StreamViewType", "NEW_IMAGE")));
        }
        return Map.of("Records", records);
    }
}
