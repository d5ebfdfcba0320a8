package io.userhub.shared.outbound;

import io.userhub.shared.webhook.DeliveryAttempt;
import io.userhub.shared.webhook.DeliveryPolicy;
import io.userhub.shared.webhook.StandardWebhooks;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One delivery attempt: a signed POST of the event's body to the endpoint, bounded as every
 * outbound call of userhub is. The URL is checked again just before ({@link OutboundUrls}); no
 * redirect is followed; one deadline (10 s) covers connecting, the answer's headers and its body,
 * of which at most 64 KiB is read (a receiver that trickles or hangs costs the attempt, never
 * more). The attempt says what its answer means ({@link DeliveryPolicy}).
 */
public final class WebhookSender implements io.userhub.shared.port.WebhookTransport {
    public static final Duration DEADLINE = Duration.ofSeconds(10);
    public static final int MAX_RESPONSE_BYTES = 64 * 1024;
    /** What an attempt keeps of the answer for the delivery's log. */
    private static final int KEPT_RESPONSE_CHARS = 1024;

    private final HttpClient client;
    private final OutboundUrls.Resolver resolver;
    private final boolean localUse;
    private final Clock clock;
    private final Duration deadline;

    public WebhookSender(OutboundUrls.Resolver resolver, boolean localUse, Clock clock) {
        this(resolver, localUse, clock, DEADLINE);
    }

    WebhookSender(OutboundUrls.Resolver resolver, boolean localUse, Clock clock, Duration deadline) {
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(deadline).build();
        this.resolver = resolver;
        this.localUse = localUse;
        this.clock = clock;
        this.deadline = deadline;
    }

    /**
     * @param secrets the endpoint's secrets in force (the newest first; a rotated one during its overlap)
     */
    @Override
    public DeliveryAttempt send(String url, String messageId, List<String> secrets, String body) {
        long started = System.nanoTime();
        long endsAt = started + deadline.toNanos();
        // The name is resolved (and every address checked) inside the attempt's deadline: a resolver that hangs costs the attempt.
        CompletableFuture<Optional<OutboundUrls.Refusal>> checking =
                CompletableFuture.supplyAsync(() -> OutboundUrls.refusal(url, localUse, resolver));
        Optional<OutboundUrls.Refusal> refusal;
        try {
            refusal = checking.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException unresolved) {
            checking.cancel(true);
            return failed("UNRESOLVABLE", started);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return failed("INTERRUPTED", started);
        }
        if (refusal.isPresent()) {
            // A name that does not resolve now may tomorrow (a DNS outage): tried again. An address refused is refused.
            DeliveryPolicy.Verdict verdict = refusal.get() == OutboundUrls.Refusal.UNRESOLVABLE ? DeliveryPolicy.Verdict.RETRY
                    : DeliveryPolicy.Verdict.STOP;
            return new DeliveryAttempt(0, verdict, Optional.empty(), "REFUSED_" + refusal.get().name(), "", since(started));
        }
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(deadline)
                .header("content-type", "application/json")
                .header("user-agent", "userhub-webhooks")
                .header("webhook-id", messageId)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", StandardWebhooks.signature(secrets, messageId, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        CompletableFuture<HttpResponse<InputStream>> sending = client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> response;
        try {
            response = sending.get(Math.max(1, endsAt - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException tooSlow) {
            sending.cancel(true);
            return failed("TIMEOUT", started);
        } catch (ExecutionException failedToConnect) {
            return failed("CONNECTION_FAILED", started);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return failed("INTERRUPTED", started);
        }
        int status = response.statusCode();
        String start;
        try {
            start = readStart(response.body(), endsAt);
        } catch (TimeoutException trickling) {
            return failed("TIMEOUT", started);
        }
        Optional<Duration> retryAfter = DeliveryPolicy.retryAfter(response.headers().firstValue("retry-after").orElse(null), clock.instant());
        DeliveryPolicy.Verdict verdict = DeliveryPolicy.verdictOf(status);
        return new DeliveryAttempt(status, verdict, verdict == DeliveryPolicy.Verdict.RETRY ? retryAfter : Optional.empty(),
                verdict == DeliveryPolicy.Verdict.DELIVERED ? null : "HTTP_" + status, start, since(started));
    }

    private DeliveryAttempt failed(String error, long started) {
        return new DeliveryAttempt(0, DeliveryPolicy.Verdict.RETRY, Optional.empty(), error, "", since(started));
    }

    /** Reads at most 64 KiB of the body before the deadline, and keeps its start; the rest is dropped with the connection. */
    private static String readStart(InputStream body, long endsAt) throws TimeoutException {
        CompletableFuture<byte[]> reading = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = body) {
                return in.readNBytes(MAX_RESPONSE_BYTES);
            } catch (IOException cut) {
                return new byte[0];
            }
        });
        try {
            byte[] read = reading.get(Math.max(1, endsAt - System.nanoTime()), TimeUnit.NANOSECONDS);
            String text = new String(read, StandardCharsets.UTF_8);
            return text.length() > KEPT_RESPONSE_CHARS ? text.substring(0, KEPT_RESPONSE_CHARS) : text;
        } catch (ExecutionException | InterruptedException unreadable) {
            if (unreadable instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return "";
        } catch (TimeoutException trickling) {
            try {
                body.close();
            } catch (IOException ignored) {
                // the connection goes either way
            }
            throw trickling;
        }
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
