package io.userhub.local;

import io.userhub.functions.webhooks.DeliverUseCase;
import io.userhub.shared.port.DeliveryQueue;
import io.userhub.shared.webhook.Delivery;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The local server's twin of the SQS FIFO queue: deliveries of one group (endpoint and user) go
 * out one at a time and in order; a delivery due again holds its group for its back-off (the same
 * {@code DeliveryPolicy} waits, times {@code WEBHOOK_BACKOFF_SCALE}), as an invisible message does;
 * each attempt is numbered as SQS's receive count numbers it. Dead letters are kept in memory.
 */
final class LocalDeliveryQueue implements DeliveryQueue, AutoCloseable {
    /** A use case that failed (DynamoDB Local busy, say) is tried again after this, as a message whose visibility ran out. */
    private static final Duration AFTER_A_FAULT = Duration.ofSeconds(1);

    private record Pending(Delivery delivery, int attempt) {}

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "userhub-local-webhooks");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Deque<Pending>> groups = new HashMap<>();
    private final List<Delivery> deadLetters = new CopyOnWriteArrayList<>();
    private final Consumer<String> log;
    private volatile DeliverUseCase deliver;

    LocalDeliveryQueue(Consumer<String> log) {
        this.log = log;
    }

    /** The delivery use case needs this queue (for its dead letters), so it is handed in once both exist. */
    void deliverWith(Function<DeliveryQueue, DeliverUseCase> useCase) {
        this.deliver = useCase.apply(this);
    }

    @Override
    public void enqueue(List<Delivery> deliveries) {
        synchronized (groups) {
            for (Delivery delivery : deliveries) {
                Deque<Pending> group = groups.computeIfAbsent(delivery.group(), g -> new ArrayDeque<>());
                group.add(new Pending(delivery, 1));
                if (group.size() == 1) {
                    schedule(delivery.group(), Duration.ZERO);
                }
            }
        }
    }

    @Override
    public void deadLetter(Delivery delivery, String reason) {
        deadLetters.add(delivery);
        var line = io.userhub.shared.observability.JsonLog.line("WARN", "webhook dead letter");
        line.put("endpoint_id", delivery.endpointId()).put("webhook_id", delivery.event().id()).put("reason", reason);
        log.accept(io.userhub.shared.json.Json.write(line));
    }

    List<Delivery> deadLetters() {
        return List.copyOf(deadLetters);
    }

    private void schedule(String group, Duration wait) {
        if (!scheduler.isShutdown()) {
            scheduler.schedule(() -> attempt(group), wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void attempt(String group) {
        Pending head;
        synchronized (groups) {
            head = groups.get(group).peek();
        }
        Duration wait;
        try {
            DeliverUseCase.Outcome outcome = deliver.attempt(head.delivery(), head.attempt());
            wait = outcome.retryIn().orElse(null);
        } catch (RuntimeException fault) {
            wait = AFTER_A_FAULT;
        }
        synchronized (groups) {
            Deque<Pending> pending = groups.get(group);
            pending.poll();
            if (wait != null) {
                pending.addFirst(new Pending(head.delivery(), head.attempt() + 1));
                schedule(group, wait);
            } else if (pending.isEmpty()) {
                groups.remove(group);
            } else {
                schedule(group, Duration.ZERO);
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
