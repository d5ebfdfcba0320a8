package io.userhub.functions.webhooks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.functions.UseCases;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.json.Json;
import io.userhub.shared.observability.JsonLog;
import io.userhub.shared.port.WebhookTransport;
import io.userhub.shared.sqs.SqsDeliveryQueue;
import io.userhub.shared.webhook.Delivery;
import io.userhub.shared.webhook.DeliveryRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Delivers what the queue hands over (an SQS FIFO batch, read as a plain map): one attempt per
 * message, its number the message's receive count. A delivery due again is left on the queue,
 * invisible for its back-off ({@code ChangeMessageVisibility}), and reported as the batch's
 * failure; so is every message after it in the batch, which SQS then hands over again in order.
 */
public final class WebhookDeliveryHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final DeliverUseCase deliver;
    private final SqsDeliveryQueue queue;

    public WebhookDeliveryHandler() {
        this(Wiring.lambda(), Wiring.lambdaDeliveryQueue(), Wiring.lambdaWebhookSender(), Wiring.lambdaWebhookBackoffScale());
    }

    public WebhookDeliveryHandler(Wiring wiring, SqsDeliveryQueue queue, WebhookTransport transport, double backoffScale) {
        this.queue = queue;
        this.deliver = UseCases.of(wiring).webhookDelivery(queue, transport, backoffScale);
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        JsonNode batch = Json.MAPPER.valueToTree(event);
        List<Map<String, String>> failures = new ArrayList<>();
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        for (JsonNode message : batch.path("Records")) {
            String messageId = message.path("messageId").asText();
            if (!failures.isEmpty()) {
                failures.add(Map.of("itemIdentifier", messageId));
                continue;
            }
            Delivery delivery = SqsDeliveryQueue.parse(message.path("body").asText());
            int attempt = Math.max(1, message.path("attributes").path("ApproximateReceiveCount").asInt(1));
            DeliverUseCase.Outcome outcome = deliver.attempt(delivery, attempt);
            outcomes.merge(outcome.status(), 1, Integer::sum);
            if (outcome.retryIn().isPresent()) {
                queue.retryLater(message.path("receiptHandle").asText(), outcome.retryIn().get());
                failures.add(Map.of("itemIdentifier", messageId));
            }
        }
        ObjectNode line = JsonLog.line("INFO", "webhook deliveries");
        line.set("outcomes", Json.MAPPER.valueToTree(outcomes));
        Map<String, Number> metrics = new LinkedHashMap<>();
        metrics.put("WebhooksDelivered", outcomes.getOrDefault(DeliveryRecord.DELIVERED, 0));
        metrics.put("WebhooksDead", outcomes.getOrDefault(DeliveryRecord.DEAD, 0));
        JsonLog.emit(JsonLog.withMetrics(line, metrics, Map.of(), new String[0]));
        return Map.of("batchItemFailures", failures);
    }
}
