package io.userhub.local;

import com.sun.net.httpserver.HttpServer;
import io.userhub.devkit.SamTemplate;
import io.userhub.shared.json.Json;
import io.userhub.shared.outbound.OutboundUrls;
import io.userhub.shared.outbound.WebhookSender;
import io.userhub.shared.webhook.DeliveryPolicy;
import io.userhub.shared.webhook.StandardWebhooks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.tools.ToolProvider;
import java.net.InetSocketAddress;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real deliveries (WebhookSender to a receiver on 127.0.0.1, started and stopped here) verify with
 * the Standard Webhooks reference library (npm standardwebhooks, through examples/webhooks/node,
 * where node and its node_modules are installed) and with the Java example receiver, and a
 * tampered delivery verifies with neither.
 */
class WebhookSignaturesIT {
    private static final Path ROOT = SamTemplate.locatePath().getParent();
    private static final String BODY = "{\"id\":\"msg_0123\",\"type\":\"user.merged\",\"data\":{\"user_id\":\"u-1\",\"merged_user_id\":\"u-2\"}}";

    private HttpServer receiver;
    private final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            Map<String, String> received = new ConcurrentHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> received.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
            headers.add(received);
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    /** One real delivery, signed by the current secret and by a rotated one. */
    private Map<String, String> deliver(String current, String rotated) {
        io.userhub.shared.webhook.DeliveryAttempt attempt = new WebhookSender(OutboundUrls.SYSTEM, true, Clock.systemUTC())
                .send("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks", "msg_0123", List.of(current, rotated), BODY);
        assertThat(attempt.verdict()).isEqualTo(DeliveryPolicy.Verdict.DELIVERED);
        assertThat(bodies).containsExactly(BODY);
        Map<String, String> delivered = headers.get(0);
        return Map.of("webhook-id", delivered.get("webhook-id"), "webhook-timestamp", delivered.get("webhook-timestamp"),
                "webhook-signature", delivered.get("webhook-signature"));
    }

    @Test
    void theReferenceLibraryVerifiesARealDeliveryAndRejectsATamperedOne() throws Exception {
        Path example = ROOT.resolve("examples/webhooks/node");
        assumeTrue(Tools.onPath("node") && Files.isDirectory(example.resolve("node_modules/standardwebhooks")),
                "node or examples/webhooks/node/node_modules (npm ci) missing: the reference verification is not run");
        String current = StandardWebhooks.newSecret();
        String rotated = StandardWebhooks.newSecret();
        Map<String, String> delivered = deliver(current, rotated);

        assertThat(referenceSays(example, current, delivered, BODY)).isEqualTo("valid");
        assertThat(referenceSays(example, rotated, delivered, BODY)).as("the rotated secret during its overlap").isEqualTo("valid");
        assertThat(referenceSays(example, current, delivered, BODY.replace("u-2", "u-3"))).startsWith("invalid");
        assertThat(referenceSays(example, StandardWebhooks.newSecret(), delivered, BODY)).startsWith("invalid");
    }

    private static String referenceSays(Path example, String secret, Map<String, String> headers, String body) throws Exception {
        Path input = Files.createTempFile("delivery", ".json");
        try {
            var json = Json.object().put("secret", secret).put("body", body);
            headers.forEach(json.putObject("headers")::put);
            Files.writeString(input, Json.write(json));
            return Tools.run(example, "node", "verify.js", input.toString()).succeeded().trim();
        } finally {
            Files.deleteIfExists(input);
        }
    }

    @Test
    void theJavaExampleReceiverVerifiesARealDeliveryAndRejectsATamperedOne() throws Exception {
        Path out = ROOT.resolve("local/target/examples-webhooks");
        Files.createDirectories(out);
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", out.toString(),
                ROOT.resolve("examples/webhooks/java/WebhookReceiver.java").toString())).isZero();
        String current = StandardWebhooks.newSecret();
        Map<String, String> delivered = deliver(current, StandardWebhooks.newSecret());
        try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {out.toUri().toURL()}, getClass().getClassLoader())) {
            var verify = loader.loadClass("WebhookReceiver").getMethod("verify", String.class, String.class, String.class, String.class,
                    String.class, long.class);
            long now = System.currentTimeMillis() / 1000;
            assertThat(verify.invoke(null, current, delivered.get("webhook-id"), delivered.get("webhook-timestamp"),
                    delivered.get("webhook-signature"), BODY, now)).isEqualTo(true);
            assertThat(verify.invoke(null, current, delivered.get("webhook-id"), delivered.get("webhook-timestamp"),
                    delivered.get("webhook-signature"), BODY + " ", now)).isEqualTo(false);
            assertThat(verify.invoke(null, current, delivered.get("webhook-id"), delivered.get("webhook-timestamp"),
                    delivered.get("webhook-signature"), BODY, now + 3600)).as("an hour later").isEqualTo(false);
        }
    }
}
