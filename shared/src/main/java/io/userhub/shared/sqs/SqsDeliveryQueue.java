package io.userhub.shared.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.json.Json;
import io.userhub.shared.port.DeliveryQueue;
import io.userhub.shared.webhook.Delivery;
import io.userhub.shared.webhook.WebhookEvents;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The delivery engine's queue on SQS FIFO: one message per delivery, grouped by endpoint and user
 * (SQS keeps a group in order, and a message waiting out its back-off holds its group), deduplicated
 * by delivery and series (a stream batch retried within five minutes queues nothing twice). A
 * retry waits invisible ({@code ChangeMessageVisibility}); spent retries go to the dead-letter queue.
 */
public final class SqsDeliveryQueue implements DeliveryQueue {
    /** SQS's longest visibility timeout: a longer wait is served in more than one hop. */
    public static final Duration LONGEST_WAIT = Duration.ofHours(12);

    private final SqsClient sqs;
    private final String queueUrl;
    private final String deadLetterQueueUrl;

    public SqsDeliveryQueue(SqsClient sqs, String queueUrl, String deadLetterQueueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.deadLetterQueueUrl = deadLetterQueueUrl;
    }

    @Override
    public void enqueue(List<Delivery> deliveries) {
        for (int from = 0; from < deliveries.size(); from += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            List<Delivery> batch = deliveries.subList(from, Math.min(from + 10, deliveries.size()));
            for (int i = 0; i < batch.size(); i++) {
                Delivery delivery = batch.get(i);
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(body(delivery))
                        .messageGroupId(groupOf(delivery)).messageDeduplicationId(deduplicationOf(delivery)).build());
            }
            SendMessageBatchResponse sent = sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
            if (sent.hasFailed() && !sent.failed().isEmpty()) {
                // The whole batch is sent again by the caller's retry: the queue's deduplication drops what went through.
                throw io.userhub.shared.validation.Problem.withDetails(io.userhub.shared.validation.Reason.SERVICE_UNAVAILABLE,
                        Map.of("problem", "QUEUE_REFUSED", "retryAfterSeconds", 1)).reject();
            }
        }
    }

    @Override
    public void deadLetter(Delivery delivery, String reason) {
        ObjectNode body = (ObjectNode) Json.MAPPER.valueToTree(message(delivery));
        body.put("dead_because", reason);
        sqs.sendMessage(r -> r.queueUrl(deadLetterQueueUrl).messageBody(Json.write(body))
                .messageGroupId(groupOf(delivery)).messageDeduplicationId(deduplicationOf(delivery)));
    }

    /** The message stays invisible for the wait (at most {@link #LONGEST_WAIT}), then its next attempt is received. */
    public void retryLater(String receiptHandle, Duration wait) {
        long seconds = Math.max(0, Math.min(LONGEST_WAIT.toSeconds(), (wait.toMillis() + 999) / 1000));
        sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(receiptHandle).visibilityTimeout((int) seconds));
    }

    public static String body(Delivery delivery) {
        return Json.write(message(delivery));
    }

    private static Map<String, Object> message(Delivery delivery) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("endpoint_id", delivery.endpointId());
        message.put("series", delivery.series());
        message.put("event", WebhookEvents.envelope(delivery.event()));
        return message;
    }

    /** A message as {@link #body} wrote it. */
    public static Delivery parse(String body) {
        JsonNode message = Json.parseObject(body).orElseThrow(() -> new IllegalArgumentException("a delivery message is not JSON"));
        return new Delivery(message.path("endpoint_id").asText(), WebhookEvents.fromEnvelope(message.path("event")),
                message.path("series").asText());
    }

    private static String groupOf(Delivery delivery) {
        String group = delivery.group();
        return group.length() <= 128 && group.matches("[\\x21-\\x7e]+") ? group : Hashing.sha256Hex(group);
    }

    private static String deduplicationOf(Delivery delivery) {
        return Hashing.sha256Hex(delivery.endpointId() + "|" + delivery.id() + "|" + delivery.series());
    }
}
