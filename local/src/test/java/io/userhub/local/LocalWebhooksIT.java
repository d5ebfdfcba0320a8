package io.userhub.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.userhub.devkit.SamTemplate;
import io.userhub.shared.json.Json;
import io.userhub.shared.model.AnonymousPolicy;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.ResolutionRules;
import io.userhub.shared.store.AppStore;
import io.userhub.shared.webhook.DeliveryPolicy;
import io.userhub.shared.webhook.StandardWebhooks;
import io.userhub.shared.webhook.WebhookEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import io.userhub.local.LocalServerEndToEndIT.Reply;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhooks end to end on the local server: the outbox written by the real handlers, read from
 * DynamoDB Local's stream by the template's fan-out, delivered by the local twin of the FIFO queue
 * to receivers on 127.0.0.1 (started and stopped here), with the back-off shortened by
 * {@code WEBHOOK_BACKOFF_SCALE}. Every event type arrives signed; a 500 then 200 is delivered twice
 * with one id; a hanging receiver holds no login; a receiver that never recovers ends in the dead
 * letters with its endpoint failing.
 */
class LocalWebhooksIT {
    private static LocalUserhub userhub;
    private static HttpServer receiver;
    private static final List<Map<String, String>> received = new CopyOnWriteArrayList<>();
    /** The events /flaky has seen: it answers 500 to an event's first delivery, 204 to the next. */
    private static final Set<String> flakySeen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final CountDownLatch hanging = new CountDownLatch(1);

    @BeforeAll
    static void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newCachedThreadPool());
        receiver.createContext("/", exchange -> {
            Map<String, String> delivery = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> delivery.put(name.toLowerCase(Locale.ROOT), values.get(0)));
            delivery.put("path", exchange.getRequestURI().getPath());
            delivery.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            received.add(delivery);
            int status = switch (exchange.getRequestURI().getPath()) {
                case "/flaky" -> flakySeen.add(delivery.get("webhook-id")) ? 500 : 204;
                case "/down" -> 503;
                case "/hang" -> {
                    try {
                        hanging.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException stopped) {
                        Thread.currentThread().interrupt();
                    }
                    yield 204;
                }
                default -> 204;
            };
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        userhub = LocalUserhub.start(new LocalUserhub.Options(0, null, SamTemplate.locatePath(),
                Map.of("WEBHOOK_BACKOFF_SCALE", "0.00001"), -1), line -> { });
        // MERGE for anonymous users, a sticky phone number (for a conflict) and short sessions (for the notices).
        AppStore apps = new AppStore(userhub.wiring().dynamo(), userhub.wiring().tables().apps());
        AppSettings settings = userhub.wiring().apps().require("demo").settings().withAnonymousPolicy(AnonymousPolicy.MERGE)
                .withRules(new ResolutionRules(Set.of("phone_number"), Map.of(), List.of("email")))
                .withSessionTimes(Duration.ofSeconds(6), Duration.ofSeconds(3));
        apps.putSettings("demo", settings);
        userhub.wiring().apps().forget("demo");
    }

    @AfterAll
    static void stop() {
        hanging.countDown();
        if (userhub != null) {
            userhub.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void everyEventTypeArrivesSignedAtALoopbackReceiver() throws Exception {
        Reply endpoint = createEndpoint("/all", WebhookEvents.TYPES);
        String secret = endpoint.text("/secret");
        try {
            Instant started = Instant.now();
            String anonymous = login("tablet", "").text("/user/id");
            String ada = login("tablet", mint("uid", "ada", "email", "shared@example.com", "phone_number", "+15550100")).text("/user/id");
            // A token takes an email only when it is newer than the claim's (iat, in seconds): the next second.
            Thread.sleep(1100);
            String bob = login("bob-phone", mint("uid", "bob", "email", "shared@example.com")).text("/user/id");
            String carolSession = login("carol-phone", mint("uid", "carol", "phone_number", "+15550100")).text("/session_token");
            // The person's audit feed is an index (eventually consistent): the move's record is read once it is there.
            String[] moveId = {""};
            await(() -> {
                try {
                    moveId[0] = send("GET", "/v1/apps/demo/users/" + bob + "/audit?kind=identity_moved", null, userhub.demo().apiKey())
                            .body().at("/records/0/details/cause_id").asText();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return !moveId[0].isEmpty();
            });
            Reply unmerged = send("POST", "/v1/apps/demo/users/" + bob + "/unmerge", "{\"merge_id\":\"" + moveId[0] + "\"}",
                    userhub.demo().apiKey());
            assertThat(unmerged.status()).as(unmerged.body().toString()).isEqualTo(200);
            assertThat(send("POST", "/v1/logout", "{}", carolSession).status()).isEqualTo(200);
            assertThat(send("DELETE", "/v1/apps/demo/users/" + ada, null, userhub.demo().apiKey()).status()).isEqualTo(200);
            // Bob's session: due for a refresh, then expired (the app's sessions last 6 s here).
            sleepUntil(started.plusSeconds(5));
            userhub.schedules().runAllOnce();
            sleepUntil(started.plusSeconds(8));
            userhub.schedules().runAllOnce();

            await(() -> typesAt("/all").containsAll(WebhookEvents.TYPES));
            for (Map<String, String> delivery : at("/all")) {
                assertThat(StandardWebhooks.verify(secret, delivery.get("webhook-id"), delivery.get("webhook-timestamp"),
                        delivery.get("webhook-signature"), delivery.get("body"), Instant.now())).as(delivery.get("body")).isTrue();
                JsonNode body = Json.parseObject(delivery.get("body")).orElseThrow();
                assertThat(body.path("id").asText()).isEqualTo(delivery.get("webhook-id"));
                assertThat(body.path("app_id").asText()).isEqualTo("demo");
                assertThat(delivery.get("body")).doesNotContain("shared@example.com").doesNotContain("+15550100");
            }
            JsonNode merged = bodyOf("/all", "user.merged");
            assertThat(merged.at("/data/merged_user_id").asText()).isEqualTo(anonymous);
            assertThat(merged.at("/data/user_id").asText()).isEqualTo(ada);
            assertThat(bodyOf("/all", "identity.moved").at("/data/to_user_id").asText()).isEqualTo(bob);
        } finally {
            send("DELETE", "/v1/apps/demo/webhooks/" + endpoint.text("/id"), null, userhub.demo().apiKey());
        }
    }

    @Test
    void aReceiverThatAnswers500Then200GetsTheEventTwiceWithOneId() throws Exception {
        Reply endpoint = createEndpoint("/flaky", List.of("user.created"));
        try {
            String user = login("flaky-device", "").text("/user/id");
            await(() -> deliveriesOf("/flaky", user).size() == 2);
            String endpointId = endpoint.text("/id");
            await(() -> "delivered".equals(deliveries(endpointId).path(0).path("status").asText()));
            Thread.sleep(500); // half the whole scaled schedule (about 1 s) and many times its first waits: nothing more arrives
            List<Map<String, String>> deliveries = deliveriesOf("/flaky", user);
            assertThat(deliveries).hasSize(2);
            assertThat(deliveries.get(0).get("webhook-id")).isEqualTo(deliveries.get(1).get("webhook-id"));
            assertThat(deliveries(endpointId).path(0).path("attempts").asInt()).isEqualTo(2);
        } finally {
            send("DELETE", "/v1/apps/demo/webhooks/" + endpoint.text("/id"), null, userhub.demo().apiKey());
        }
    }

    @Test
    void aHangingReceiverHoldsNoLogin() throws Exception {
        Reply endpoint = createEndpoint("/hang", List.of("user.created"));
        try {
            Reply first = login("hang-1", "");
            assertThat(first.status()).isEqualTo(200);
            await(() -> !at("/hang").isEmpty());
            // The receiver holds the delivery's connection; logins go on, answered while it does.
            for (int i = 2; i <= 4; i++) {
                assertThat(login("hang-" + i, "").status()).isEqualTo(200);
            }
            assertThat(hanging.getCount()).isEqualTo(1);
        } finally {
            hanging.countDown();
            send("DELETE", "/v1/apps/demo/webhooks/" + endpoint.text("/id"), null, userhub.demo().apiKey());
        }
    }

    @Test
    void aDeliveryThatNeverSucceedsIsDeadLetteredAfterItsScheduleAndItsEndpointIsFailing() throws Exception {
        Reply endpoint = createEndpoint("/down", List.of("user.created"));
        String endpointId = endpoint.text("/id");
        try {
            String user = login("down-device", "").text("/user/id");
            await(() -> "dead".equals(deliveries(endpointId).path(0).path("status").asText()));
            assertThat(deliveries(endpointId).path(0).path("attempts").asInt()).isEqualTo(DeliveryPolicy.BACKOFF.size() + 1);
            assertThat(deliveriesOf("/down", user)).hasSize(DeliveryPolicy.BACKOFF.size() + 1);
            assertThat(userhub.webhooks().deadLetters()).anySatisfy(dead -> {
                assertThat(dead.endpointId()).isEqualTo(endpointId);
                assertThat(dead.event().data()).containsEntry("user_id", user);
            });
            assertThat(send("GET", "/v1/apps/demo/webhooks/" + endpointId, null, userhub.demo().apiKey()).text("/failing_since"))
                    .isNotEqualTo("null").isNotBlank();
        } finally {
            send("DELETE", "/v1/apps/demo/webhooks/" + endpointId, null, userhub.demo().apiKey());
        }
    }

    @Test
    void endpointsOutsideLoopbackThatResolveToPrivateOrMetadataAddressesAreRefused() throws Exception {
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "https://10.0.0.1/hooks", "http://192.168.1.10/hooks")) {
            Reply refused = send("POST", "/v1/apps/demo/webhooks", "{\"url\":\"" + url + "\",\"event_types\":[\"user.created\"]}",
                    userhub.demo().apiKey());
            assertThat(refused.status()).as(url).isEqualTo(400);
            assertThat(refused.text("/reason")).isEqualTo("WEBHOOK_URL_REFUSED");
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static Reply createEndpoint(String path, List<String> types) throws Exception {
        Reply created = send("POST", "/v1/apps/demo/webhooks", Json.write(Map.of("url",
                "http://127.0.0.1:" + receiver.getAddress().getPort() + path, "event_types", types)), userhub.demo().apiKey());
        assertThat(created.status()).as(created.body().toString()).isEqualTo(200);
        return created;
    }

    private static String mint(String... identifierValuePairs) throws Exception {
        List<Map<String, String>> identities = new ArrayList<>();
        for (int i = 0; i + 1 < identifierValuePairs.length; i += 2) {
            identities.add(Map.of("identifier", identifierValuePairs[i], "value", identifierValuePairs[i + 1]));
        }
        Reply minted = send("POST", "/v1/apps/demo/tokens", Json.write(Map.of("identities", identities)), userhub.demo().apiKey());
        assertThat(minted.status()).as(minted.body().toString()).isEqualTo(200);
        return minted.text("/token");
    }

    private static Reply login(String device, String token) throws Exception {
        Reply login = send("POST", "/v1/apps/demo/login", Json.write(Map.of("identity_token", token, "device_id", device)), null);
        assertThat(login.status()).as(login.body().toString()).isEqualTo(200);
        return login;
    }

    private static JsonNode deliveries(String endpointId) {
        try {
            return send("GET", "/v1/apps/demo/webhooks/" + endpointId + "/deliveries", null, userhub.demo().apiKey()).body().path("deliveries");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Map<String, String>> at(String path) {
        return received.stream().filter(d -> d.get("path").equals(path)).toList();
    }

    private static List<Map<String, String>> deliveriesOf(String path, String userId) {
        return at(path).stream().filter(d -> d.get("body").contains("\"user_id\":\"" + userId + "\"")).toList();
    }

    private static Set<String> typesAt(String path) {
        Set<String> types = new java.util.TreeSet<>();
        at(path).forEach(d -> types.add(Json.parseObject(d.get("body")).orElseThrow().path("type").asText()));
        return types;
    }

    private static JsonNode bodyOf(String path, String type) {
        return at(path).stream().map(d -> (JsonNode) Json.parseObject(d.get("body")).orElseThrow())
                .filter(body -> body.path("type").asText().equals(type)).findFirst().orElseThrow();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s; received: " + received.stream().map(d -> d.get("path") + " " + d.get("body")).toList());
            }
            Thread.sleep(50);
        }
    }

    private static void sleepUntil(Instant at) throws InterruptedException {
        long millis = Duration.between(Instant.now(), at).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    private static Reply send(String method, String path, String body, String bearer) throws Exception {
        return LocalServerEndToEndIT.send(userhub.url(), method, path, body == null ? null : "application/json", body, bearer);
    }
}
