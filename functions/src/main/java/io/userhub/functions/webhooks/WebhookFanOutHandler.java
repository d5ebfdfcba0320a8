package io.userhub.functions.webhooks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.functions.UseCases;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.json.Json;
import io.userhub.shared.observability.JsonLog;
import io.userhub.shared.port.DeliveryQueue;
import io.userhub.shared.store.DynamoWebhooks;
import io.userhub.shared.webhook.WebhookEvent;

import java.util.List;
import java.util.Map;

/**
 * The webhooks table's stream (new outbox events only: the event source mapping's filter) becomes
 * deliveries on the queue. A batch that fails is retried by the mapping, halved on each error
 * (bisect), and what still fails goes to the on-failure queue; the queue's deduplication keeps a
 * retried batch from queuing a delivery twice. The event is read as a plain map, as the notifiers'.
 */
public final class WebhookFanOutHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final FanOutUseCase fanOut;

    public WebhookFanOutHandler() {
        this(Wiring.lambda(), Wiring.lambdaDeliveryQueue());
    }

    public WebhookFanOutHandler(Wiring wiring, DeliveryQueue queue) {
        this.fanOut = UseCases.of(wiring).webhookFanOut(queue);
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        JsonNode batch = Json.MAPPER.valueToTree(event);
        List<WebhookEvent> events = DynamoWebhooks.streamEvents(batch);
        int queued = fanOut.fanOut(events);
        ObjectNode line = JsonLog.line("INFO", "webhook fan-out");
        line.put("events", events.size()).put("deliveries", queued);
        JsonLog.emit(JsonLog.withMetrics(line, Map.<String, Number>of("WebhookDeliveriesQueued", queued), Map.of(), new String[0]));
        return Map.of("events", events.size(), "deliveries", queued);
    }
}
