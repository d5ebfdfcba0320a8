package io.userhub.shared.outbound;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.userhub.shared.webhook.DeliveryAttempt;
import io.userhub.shared.webhook.DeliveryPolicy;
import io.userhub.shared.webhook.StandardWebhooks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One delivery attempt against receivers on 127.0.0.1 (local use), each started and stopped here:
 * what is sent and signed, what each answer means, and that a receiver that redirects, hangs,
 * trickles or floods costs the attempt its deadline and its 64 KiB, never more.
 */
class WebhookSenderTest {
    private static final String BODY = "{\"type\":\"user.created\",\"data\":{\"user_id\":\"u-1\"}}";
    private final List<HttpServer> servers = new ArrayList<>();
    private final String secret = StandardWebhooks.newSecret();

    private record Received(Map<String, String> headers, String body) {}

    @FunctionalInterface
    private interface Answer {
        void answer(HttpExchange exchange) throws IOException, InterruptedException;
    }

    /** A receiver on a free loopback port; every request is kept, then answered. */
    private String receiver(List<Received> received, Answer answer) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            Map<String, String> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
            received.add(new Received(headers, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            try {
                answer.answer(exchange);
            } catch (InterruptedException | IOException stopped) {
                // the sender gave up: the exchange is dropped
            } finally {
                exchange.close();
            }
        });
        server.start();
        servers.add(server);
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    private static Answer status(int status, Map<String, String> headers) {
        return exchange -> {
            headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(status, -1);
        };
    }

    @AfterEach
    void stop() {
        servers.forEach(server -> server.stop(0));
    }

    private WebhookSender sender(Duration deadline) {
        return new WebhookSender(OutboundUrls.SYSTEM, true, Clock.systemUTC(), deadline);
    }

    @Test
    void aDeliveryIsAStandardWebhooksSignedPostAndA2xxDeliversIt() throws IOException {
        List<Received> received = new CopyOnWriteArrayList<>();
        String url = receiver(received, status(204, Map.of()));

        DeliveryAttempt attempt = sender(WebhookSender.DEADLINE).send(url, "msg_1", List.of(secret), BODY);

        assertThat(attempt.verdict()).isEqualTo(DeliveryPolicy.Verdict.DELIVERED);
        assertThat(attempt.status()).isEqualTo(204);
        Received delivery = received.get(0);
        assertThat(delivery.body()).isEqualTo(BODY);
        assertThat(delivery.headers()).containsEntry("webhook-id", "msg_1").containsEntry("content-type", "application/json");
        assertThat(StandardWebhooks.verify(secret, delivery.headers().get("webhook-id"), delivery.headers().get("webhook-timestamp"),
                delivery.headers().get("webhook-signature"), delivery.body(), java.time.Instant.now())).isTrue();
    }

    @Test
    void serverErrorsAndThrottlingAreRetriedHonouringRetryAfterAndOtherRefusalsStop() throws IOException {
        List<Received> received = new CopyOnWriteArrayList<>();
        WebhookSender sender = sender(WebhookSender.DEADLINE);

        DeliveryAttempt failing = sender.send(receiver(received, status(500, Map.of())), "msg_1", List.of(secret), BODY);
        assertThat(failing.verdict()).isEqualTo(DeliveryPolicy.Verdict.RETRY);
        assertThat(failing.error()).isEqualTo("HTTP_500");

        DeliveryAttempt throttled = sender.send(receiver(received, status(429, Map.of("Retry-After", "30"))), "msg_1", List.of(secret), BODY);
        assertThat(throttled.verdict()).isEqualTo(DeliveryPolicy.Verdict.RETRY);
        assertThat(throttled.retryAfter()).contains(Duration.ofSeconds(30));

        DeliveryAttempt gone = sender.send(receiver(received, status(410, Map.of())), "msg_1", List.of(secret), BODY);
        assertThat(gone.verdict()).isEqualTo(DeliveryPolicy.Verdict.STOP);
    }

    @Test
    void aRedirectIsNotFollowedWhereverItPoints() throws IOException {
        List<Received> target = new CopyOnWriteArrayList<>();
        String elsewhere = receiver(target, status(200, Map.of()));
        List<Received> received = new CopyOnWriteArrayList<>();
        String redirecting = receiver(received, status(302, Map.of("Location", elsewhere)));

        DeliveryAttempt attempt = sender(WebhookSender.DEADLINE).send(redirecting, "msg_1", List.of(secret), BODY);

        assertThat(attempt.verdict()).isEqualTo(DeliveryPolicy.Verdict.STOP);
        assertThat(attempt.status()).isEqualTo(302);
        assertThat(received).hasSize(1);
        assertThat(target).as("the redirect's target").isEmpty();
    }

    @Test
    void outsideLocalUseALoopbackEndpointIsRefusedBeforeAnyConnection() throws IOException {
        List<Received> received = new CopyOnWriteArrayList<>();
        String url = receiver(received, status(200, Map.of()));

        // outside local use plain HTTP is refused at once; over HTTPS the loopback address is
        WebhookSender production = new WebhookSender(OutboundUrls.SYSTEM, false, Clock.systemUTC());
        assertThat(production.send(url, "msg_1", List.of(secret), BODY).error()).isEqualTo("REFUSED_NOT_HTTPS");
        DeliveryAttempt attempt = production.send(url.replace("http://", "https://"), "msg_1", List.of(secret), BODY);

        assertThat(attempt.verdict()).isEqualTo(DeliveryPolicy.Verdict.STOP);
        assertThat(attempt.error()).isEqualTo("REFUSED_PRIVATE_ADDRESS");
        assertThat(received).isEmpty();
    }

    @Test
    void aReceiverThatHangsOrTricklesCostsTheAttemptItsDeadlineAndNoMore() throws IOException {
        List<Received> received = new CopyOnWriteArrayList<>();
        String hanging = receiver(received, exchange -> Thread.sleep(30_000));
        String trickling = receiver(received, exchange -> {
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (int i = 0; i < 60; i++) {
                out.write('.');
                out.flush();
                Thread.sleep(500);
            }
        });
        Duration deadline = Duration.ofSeconds(2);

        for (String url : List.of(hanging, trickling)) {
            DeliveryAttempt attempt = sender(deadline).send(url, "msg_1", List.of(secret), BODY);
            assertThat(attempt.verdict()).as(url).isEqualTo(DeliveryPolicy.Verdict.RETRY);
            assertThat(attempt.error()).as(url).isEqualTo("TIMEOUT");
            // bounded by the deadline (with room for a slow machine), not by the receiver's 30 s
            assertThat(attempt.took()).as(url).isLessThan(deadline.plusSeconds(5));
        }
    }

    @Test
    void atMost64KiBOfAnAnswerIsReadAndItsStartKept() throws IOException {
        List<Received> received = new CopyOnWriteArrayList<>();
        String flooding = receiver(received, exchange -> {
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = "x".repeat(8192).getBytes(StandardCharsets.UTF_8);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 1024; i++) {
                    out.write(chunk);
                }
            }
        });

        DeliveryAttempt attempt = sender(WebhookSender.DEADLINE).send(flooding, "msg_1", List.of(secret), BODY);

        assertThat(attempt.verdict()).isEqualTo(DeliveryPolicy.Verdict.DELIVERED);
        assertThat(attempt.responseStart()).hasSize(1024);
    }
}
