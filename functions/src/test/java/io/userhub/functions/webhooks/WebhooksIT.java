package io.userhub.functions.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.functions.UseCases;
import io.userhub.functions.notices.ExpiryNotifierHandler;
import io.userhub.functions.notices.RefreshNotifierHandler;
import io.userhub.functions.support.Harness;
import io.userhub.functions.support.RecordingDeliveryQueue;
import io.userhub.functions.support.RecordingPublisher;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.crypto.SecretSeal;
import io.userhub.shared.model.AnonymousPolicy;
import io.userhub.shared.model.ResolutionRules;
import io.userhub.shared.outbound.OutboundUrls;
import io.userhub.shared.port.WebhookTransport;
import io.userhub.shared.webhook.Delivery;
import io.userhub.shared.webhook.DeliveryAttempt;
import io.userhub.shared.webhook.DeliveryPolicy;
import io.userhub.shared.webhook.DeliveryRecord;
import io.userhub.shared.webhook.EndpointRules;
import io.userhub.shared.webhook.StandardWebhooks;
import io.userhub.shared.webhook.WebhookEndpoint;
import io.userhub.shared.webhook.WebhookEvent;
import io.userhub.shared.webhook.WebhookEvents;
import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.testkit.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhooks on DynamoDB Local, through the routes and the engine's use cases: endpoints and their
 * limits, the outbox hearing only what some endpoint wants, every event type recorded from the
 * domain's events and the notifiers, secret rotation, and a delivery's life (retried, delivered,
 * failed, dead; the endpoint failing, then disabled), resend and replay.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class WebhooksIT {
    private static final String LOOPBACK = "http://127.0.0.1:9/hooks";

    @Test
    void anEndpointsSecretIsShownOnceAndSealedAtRestAndBadInputWritesNothing() {
        byte[] kek = new byte[32];
        new java.security.SecureRandom().nextBytes(kek);
        Harness h = Harness.through(clock -> {
            Wiring plain = DynamoDbLocalExtension.isolatedWiring(clock);
            return Wiring.of(plain.dynamo(), plain.tables(), clock, Duration.ofSeconds(60), new SecretSeal(SecretSeal.localKey(kek)));
        }, s -> s);
        for (String bad : List.of("{\"event_types\":[\"user.created\"]}", "{\"url\":\"" + LOOPBACK + "\",\"event_types\":[]}",
                "{\"url\":\"" + LOOPBACK + "\",\"event_types\":[\"user.created\",\"user.teleported\"]}",
                "{\"url\":\"" + LOOPBACK + "\",\"event_types\":[\"user.created\"],\"description\":\"" + "x".repeat(201) + "\"}",
                "{\"url\":7,\"event_types\":[\"user.created\"]}", "{\"url\":\"" + LOOPBACK + "\",\"event_types\":\"user.created\"}")) {
            Harness.Response refused = h.webhooks("POST", "", bad);
            assertThat(refused.status()).as(bad).isEqualTo(400);
            assertThat(refused.reason()).as(bad).isEqualTo("FIELD_INVALID");
        }
        assertThat(h.webhooks("GET", "", null).body().path("endpoints")).isEmpty();
        assertThat(h.wiring.apps().require(h.app.appId()).webhookTypes()).isEmpty();

        Harness.Response created = h.webhooks("POST", "", "{\"url\":\"" + LOOPBACK + "\",\"event_types\":[\"user.created\",\"user.merged\"],"
                + "\"description\":\"CRM\"}");
        assertThat(created.status()).isEqualTo(200);
        String secret = created.text("/secret");
        String id = created.text("/id");
        assertThat(StandardWebhooks.isSecret(secret)).isTrue();
        assertThat(id).matches("ep_[0-9a-f]{24}");
        assertThat(h.webhooks("GET", "", null).body().toString()).contains(id).doesNotContain(secret).doesNotContain("whsec_");
        assertThat(h.webhooks("GET", "/" + id, null).body().toString()).contains("\"CRM\"").doesNotContain("whsec_");
        // At rest the secret is sealed (a table reader has no secret), and it opens to the one shown.
        Map<String, AttributeValue> item = h.wiring.dynamo().getItem(r -> r.tableName(h.wiring.tables().webhooks())
                .key(Map.of("pk", AttributeValue.fromS("APP#" + h.app.appId()), "sk", AttributeValue.fromS("ENDPOINT#" + id)))).item();
        assertThat(item.toString()).doesNotContain(secret.substring(6));
        assertThat(h.wiring.webhooks().find(h.app.appId(), id).orElseThrow().secretsInForce(h.clock.instant())).containsExactly(secret);
        // The app knows which types are wanted, in the endpoint's own transaction.
        assertThat(fresh(h).webhookTypes()).containsExactlyInAnyOrder("user.created", "user.merged");

        assertThat(h.webhooks("GET", "/ep_000000000000000000000000", null).reason()).isEqualTo("WEBHOOK_ENDPOINT_NOT_FOUND");
        assertThat(h.webhooks("PATCH", "/" + id, "{\"event_types\":[\"nope\"]}").status()).isEqualTo(400);
        assertThat(h.webhooks("PATCH", "/" + id, "{\"enabled\":\"yes\"}").status()).isEqualTo(400);
        assertThat(fresh(h).webhookTypes()).containsExactlyInAnyOrder("user.created", "user.merged");
        assertThat(h.webhooks("PATCH", "/" + id, "{\"enabled\":false}").body().path("enabled").asBoolean()).isFalse();
        // A disabled endpoint's types are still recorded: the window it misses can be replayed once it is enabled again.
        assertThat(fresh(h).webhookTypes()).containsExactlyInAnyOrder("user.created", "user.merged");
        assertThat(h.webhooks("PATCH", "/" + id, "{\"enabled\":true,\"event_types\":[\"user.erased\"]}").status()).isEqualTo(200);
        assertThat(fresh(h).webhookTypes()).containsExactly("user.erased");
        assertThat(h.webhooks("DELETE", "/" + id, null).status()).isEqualTo(200);
        assertThat(h.webhooks("DELETE", "/" + id, null).reason()).isEqualTo("WEBHOOK_ENDPOINT_NOT_FOUND");
        assertThat(fresh(h).webhookTypes()).isEmpty();
    }

    @Test
    void anAppHasAtMostTenEndpointsHoweverManyAreAddedAtOnce() throws Exception {
        Harness h = Harness.isolated();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Harness.Response>> adds = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                adds.add(pool.submit(() -> h.webhooks("POST", "", "{\"url\":\"" + LOOPBACK + "\",\"event_types\":[\"user.created\"]}")));
            }
            int created = 0;
            for (Future<Harness.Response> add : adds) {
                Harness.Response answer = add.get();
                if (answer.status() == 200) {
                    created++;
                } else {
                    assertThat(answer.status()).as(answer.body().toString()).isIn(409, 503);
                }
            }
            assertThat(created).isLessThanOrEqualTo(EndpointRules.MAX_ENDPOINTS_PER_APP);
            assertThat(h.webhooks("GET", "", null).body().path("endpoints").size()).isEqualTo(created);
            while (h.webhooks("GET", "", null).body().path("endpoints").size() < EndpointRules.MAX_ENDPOINTS_PER_APP) {
                assertThat(h.webhooks("POST", "", "{\"url\":\"" + LOOPBACK + "\",\"event_types\":[\"user.created\"]}").status()).isEqualTo(200);
            }
            Harness.Response eleventh = h.webhooks("POST", "", "{\"url\":\"" + LOOPBACK + "\",\"event_types\":[\"user.created\"]}");
            assertThat(eleventh.status()).isEqualTo(409);
            assertThat(eleventh.reason()).isEqualTo("WEBHOOK_ENDPOINT_LIMIT_EXCEEDED");
            assertThat(h.webhooks("GET", "", null).body().path("endpoints").size()).isEqualTo(EndpointRules.MAX_ENDPOINTS_PER_APP);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void urlsToPrivateLoopbackOrMetadataAddressesAreRefusedAtConfiguration() {
        Harness h = Harness.isolated();
        OutboundUrls.Resolver resolver = host -> switch (host) {
            case "internal.example.com" -> List.of(InetAddress.getByName("10.0.0.1"));
            case "hooks.example.com" -> List.of(InetAddress.getByName("93.184.216.34"));
            default -> List.of(InetAddress.getByName(host));
        };
        WebhookEndpointsUseCase deployed = new WebhookEndpointsUseCase(h.wiring.apps(), h.wiring.webhooks(), h.wiring.webhooks(),
                h.wiring.webhooks(), new RecordingDeliveryQueue(), h.wiring.events(), h.clock, resolver, false);
        Map<String, String> refusals = Map.of(
                "https://127.0.0.1/hooks", "PRIVATE_ADDRESS",
                "http://127.0.0.1:8080/hooks", "NOT_HTTPS",
                "https://169.254.169.254/latest/meta-data/", "PRIVATE_ADDRESS",
                "https://[fd00:ec2::254]/", "PRIVATE_ADDRESS",
                "https://internal.example.com/hooks", "PRIVATE_ADDRESS",
                "http://hooks.example.com/hooks", "NOT_HTTPS",
                "https://user:pass@hooks.example.com/hooks", "CREDENTIALS_IN_URL");
        refusals.forEach((url, refusal) -> {
            try {
                deployed.create(h.wiring.apps().require(h.app.appId()), url, List.of("user.created"), null, null);
                throw new AssertionError("accepted " + url);
            } catch (io.userhub.shared.validation.Rejection refused) {
                assertThat(refused.problem().reason().name()).as(url).isEqualTo("WEBHOOK_URL_REFUSED");
                assertThat(refused.problem().details().get("refusal")).as(url).isEqualTo(refusal);
            }
        });
        assertThat(h.wiring.webhooks().list(h.app.appId())).isEmpty();
        String id = deployed.create(h.wiring.apps().require(h.app.appId()), "https://hooks.example.com/hooks", List.of("user.created"),
                null, null).endpoint().id();

        // DNS rebinding: the name resolves to a private address by the time of the delivery. It is
        // checked again before any connection, and the delivery stops there.
        OutboundUrls.Resolver rebound = host -> List.of(InetAddress.getByName("10.0.0.1"));
        DeliverUseCase deliver = UseCases.of(h.wiring).webhookDelivery(new RecordingDeliveryQueue(),
                new io.userhub.shared.outbound.WebhookSender(rebound, false, h.clock), 1.0);
        assertThat(deliver.attempt(new Delivery(id, event(h, "user.created", "u-rebound")), 1).status()).isEqualTo(DeliveryRecord.FAILED);
        assertThat(record(h, id).lastError()).isEqualTo("REFUSED_PRIVATE_ADDRESS");
        assertThat(record(h, id).lastStatus()).isZero();
        // A name that does not resolve at all (a DNS outage) is tried again.
        OutboundUrls.Resolver outage = host -> {
            throw new java.net.UnknownHostException(host);
        };
        DeliverUseCase duringAnOutage = UseCases.of(h.wiring).webhookDelivery(new RecordingDeliveryQueue(),
                new io.userhub.shared.outbound.WebhookSender(outage, false, h.clock), 1.0);
        assertThat(duringAnOutage.attempt(new Delivery(id, event(h, "user.created", "u-outage")), 1).status())
                .isEqualTo(DeliveryRecord.PENDING);
    }

    @Test
    void everyEventTypeIsRecordedFromTheDomainsEventsAndTheNotices() {
        Harness h = Harness.through(clock -> DynamoDbLocalExtension.isolatedWiring(clock),
                s -> s.withAnonymousPolicy(AnonymousPolicy.MERGE)
                        .withRules(new ResolutionRules(Set.of("phone_number"), Map.of(), List.of("email"))));
        // Nothing is recorded before an endpoint wants it: an app without endpoints pays no write.
        h.login("before", "");
        assertThat(outbox(h)).isEmpty();
        h.webhookEndpoint(LOOPBACK, WebhookEvents.TYPES.toArray(String[]::new));
        h.wiring.apps().forget(h.app.appId());

        String anonymous = h.login("tablet", "").text("/user/id");
        h.clock.advance(Duration.ofSeconds(1));
        String ada = h.login("tablet", h.identitiesToken("uid", "ada", "email", "shared@example.com", "phone_number", "+15550100"))
                .text("/user/id");
        h.clock.advance(Duration.ofSeconds(1));
        String bob = h.login("bob-phone", h.identitiesToken("uid", "bob", "email", "shared@example.com")).text("/user/id");
        h.clock.advance(Duration.ofSeconds(1));
        String carolToken = TestTokens.hs256(h.app.kid(), h.app.secret(),
                TestTokens.identitiesPayload(h.now(), "uid", "carol", "phone_number", "+15550100"));
        String carolSession = h.login("carol-phone", carolToken).text("/session_token");
        String moveId = h.userAudit(bob, "kind", "identity_moved").body().at("/records/0/details/cause_id").asText();
        assertThat(h.unmerge(bob, moveId).status()).isEqualTo(200);
        assertThat(h.logout(carolSession).status()).isEqualTo(200);
        assertThat(h.erase(ada).status()).isEqualTo(200);

        Map<String, WebhookEvent> byType = new java.util.HashMap<>();
        outbox(h).forEach(event -> byType.putIfAbsent(event.type(), event));
        assertThat(byType.keySet()).contains("user.created", "user.merged", "identity.moved", "identity.conflict", "user.unmerged",
                "user.erased", "sessions.ended");
        assertThat(byType.get("user.merged").data()).containsEntry("user_id", ada).containsEntry("merged_user_id", anonymous);
        assertThat(byType.get("identity.moved").data()).containsEntry("identifier", "email").containsEntry("from_user_id", ada)
                .containsEntry("to_user_id", bob);
        assertThat(byType.get("identity.conflict").data()).containsEntry("identifier", "phone_number").containsEntry("owner_user_id", ada);
        assertThat(byType.get("user.erased").data()).containsEntry("user_id", ada);
        // Never an identifier's value.
        assertThat(outbox(h).toString()).doesNotContain("shared@example.com").doesNotContain("+15550100");

        h.clock.advance(Duration.ofHours(24).minusMinutes(10));
        new RefreshNotifierHandler(h.wiring, h.wiring.withWebhookNotices(new RecordingPublisher())).handleRequest(Map.of(), null);
        h.clock.advance(Duration.ofMinutes(20));
        new ExpiryNotifierHandler(h.wiring, h.wiring.withWebhookNotices(new RecordingPublisher())).handleRequest(Map.of(), null);
        assertThat(outbox(h)).extracting(WebhookEvent::type).contains("refreshUserCredentials", "userSessionExpired");
        assertThat(outbox(h)).extracting(WebhookEvent::type).containsAll(WebhookEvents.TYPES);
    }

    @Test
    void aRotatedSecretKeepsSigningBesideTheNewOneForItsOverlap() {
        Harness h = Harness.isolated();
        Harness.Response created = h.webhooks("POST", "", "{\"url\":\"" + LOOPBACK + "\",\"event_types\":[\"user.created\"]}");
        String id = created.text("/id");
        String old = created.text("/secret");
        assertThat(h.webhooks("POST", "/" + id + "/secret", "{\"overlap_hours\":200}").status()).isEqualTo(400);
        Harness.Response rotated = h.webhooks("POST", "/" + id + "/secret", "{\"overlap_hours\":2}");
        assertThat(rotated.status()).isEqualTo(200);
        String fresh = rotated.text("/secret");
        assertThat(fresh).isNotEqualTo(old);
        assertThat(rotated.text("/previous_secret_retires_at")).isEqualTo(h.clock.instant().plus(Duration.ofHours(2)).toString());

        List<String> signatures = new CopyOnWriteArrayList<>();
        WebhookTransport transport = (url, messageId, secrets, body) -> {
            signatures.add(StandardWebhooks.signature(secrets, messageId, 1_800_000_000L, body));
            return new DeliveryAttempt(204, DeliveryPolicy.Verdict.DELIVERED, Optional.empty(), null, "", Duration.ZERO);
        };
        DeliverUseCase deliver = UseCases.of(h.wiring).webhookDelivery(new RecordingDeliveryQueue(), transport, 1.0);
        Delivery delivery = new Delivery(id, event(h, "user.created", "u-1"));
        deliver.attempt(delivery, 1);
        String body = WebhookEvents.body(delivery.event());
        for (String secret : List.of(old, fresh)) {
            assertThat(StandardWebhooks.verify(secret, delivery.event().id(), "1800000000", signatures.get(0), body,
                    Instant.ofEpochSecond(1_800_000_000L))).as("during the overlap").isTrue();
        }
        h.clock.advance(Duration.ofHours(2).plusSeconds(1));
        deliver.attempt(delivery, 1);
        assertThat(StandardWebhooks.verify(fresh, delivery.event().id(), "1800000000", signatures.get(1), body,
                Instant.ofEpochSecond(1_800_000_000L))).isTrue();
        assertThat(StandardWebhooks.verify(old, delivery.event().id(), "1800000000", signatures.get(1), body,
                Instant.ofEpochSecond(1_800_000_000L))).as("after the overlap").isFalse();
    }

    @Test
    void aDeliveryIsRetriedOnTheScheduleDeliveredOnceAndItsLogSaysSo() {
        Harness h = Harness.isolated();
        String id = h.webhookEndpoint(LOOPBACK, "user.created");
        List<String> ids = new CopyOnWriteArrayList<>();
        List<Integer> answers = new ArrayList<>(List.of(500, 429, 204));
        WebhookTransport transport = (url, messageId, secrets, body) -> {
            ids.add(messageId);
            int status = answers.remove(0);
            return new DeliveryAttempt(status, DeliveryPolicy.verdictOf(status),
                    status == 429 ? Optional.of(Duration.ofMinutes(20)) : Optional.empty(), status == 204 ? null : "HTTP_" + status, "", Duration.ZERO);
        };
        DeliverUseCase deliver = UseCases.of(h.wiring).webhookDelivery(new RecordingDeliveryQueue(), transport, 1.0);
        Delivery delivery = new Delivery(id, event(h, "user.created", "u-1"));

        DeliverUseCase.Outcome first = deliver.attempt(delivery, 1);
        assertThat(first.status()).isEqualTo(DeliveryRecord.PENDING);
        assertThat(first.retryIn()).contains(Duration.ofSeconds(5));
        assertThat(record(h, id).nextAttemptAt()).isEqualTo(h.clock.instant().plusSeconds(5));
        // A 429's Retry-After outlasts the schedule's 5 minutes: the wait is the receiver's.
        assertThat(deliver.attempt(delivery, 2).retryIn()).contains(Duration.ofMinutes(20));
        assertThat(deliver.attempt(delivery, 3).status()).isEqualTo(DeliveryRecord.DELIVERED);
        assertThat(ids).hasSize(3).containsOnly(delivery.event().id());
        DeliveryRecord log = record(h, id);
        assertThat(log.status()).isEqualTo("delivered");
        assertThat(log.attempts()).isEqualTo(3);
        assertThat(log.lastStatus()).isEqualTo(204);
        JsonNode listed = h.webhooks("GET", "/" + id + "/deliveries", null).body().path("deliveries").get(0);
        assertThat(listed.path("status").asText()).isEqualTo("delivered");
        assertThat(listed.path("attempts").asInt()).isEqualTo(3);
        assertThat(listed.path("event_id").asText()).isEqualTo(delivery.event().id());
    }

    @Test
    void aFourHundredStopsAtOnceAndADeadDeliveryMarksItsEndpointFailingThenDisabled() {
        Harness h = Harness.isolated();
        String id = h.webhookEndpoint(LOOPBACK, "user.created", "user.erased");
        RecordingDeliveryQueue queue = new RecordingDeliveryQueue();
        IntFunction<WebhookTransport> answering = status -> (url, messageId, secrets, body) ->
                new DeliveryAttempt(status, DeliveryPolicy.verdictOf(status), Optional.empty(), status == 0 ? "TIMEOUT" : "HTTP_" + status, "",
                        Duration.ZERO);
        DeliverUseCase gone = UseCases.of(h.wiring).webhookDelivery(queue, answering.apply(410), 1.0);
        assertThat(gone.attempt(new Delivery(id, event(h, "user.created", "u-410")), 1).status()).isEqualTo(DeliveryRecord.FAILED);
        assertThat(queue.deadLetters).isEmpty();

        DeliverUseCase timingOut = UseCases.of(h.wiring).webhookDelivery(queue, answering.apply(0), 1.0);
        Delivery doomed = new Delivery(id, event(h, "user.created", "u-dead"));
        int attempts = DeliveryPolicy.BACKOFF.size() + 1;
        for (int attempt = 1; attempt < attempts; attempt++) {
            assertThat(timingOut.attempt(doomed, attempt).status()).isEqualTo(DeliveryRecord.PENDING);
        }
        assertThat(timingOut.attempt(doomed, attempts).status()).isEqualTo(DeliveryRecord.DEAD);
        assertThat(queue.deadLetters).containsExactly(doomed);
        assertThat(queue.deadReasons).containsExactly("TIMEOUT");
        WebhookEndpoint failing = h.wiring.webhooks().find(h.app.appId(), id).orElseThrow();
        assertThat(failing.failingSince()).isEqualTo(h.clock.instant());
        assertThat(failing.enabled()).isTrue();
        assertThat(h.webhooks("GET", "/" + id, null).text("/failing_since")).isEqualTo(h.clock.instant().toString());
        assertThat(settingsChanges(h)).contains("failing");

        // Still failing five days on: the next dead delivery disables it; its events are still recorded, for a replay.
        h.clock.advance(EndpointRules.DISABLED_AFTER_FAILING);
        timingOut.attempt(new Delivery(id, event(h, "user.erased", "u-dead-2")), attempts);
        WebhookEndpoint disabled = h.wiring.webhooks().find(h.app.appId(), id).orElseThrow();
        assertThat(disabled.enabled()).isFalse();
        assertThat(disabled.disabledReason()).startsWith("failing since");
        assertThat(settingsChanges(h)).contains("disabled");
        assertThat(fresh(h).webhookTypes()).containsExactlyInAnyOrder("user.created", "user.erased");
        Harness.Response refused = h.webhooks("POST", "/" + id + "/deliveries", "{\"since\":\"" + h.clock.instant().minusSeconds(60) + "\"}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.reason()).isEqualTo("WEBHOOK_ENDPOINT_DISABLED");
        // A disabled endpoint gets nothing more.
        assertThat(timingOut.attempt(new Delivery(id, event(h, "user.created", "u-after")), 1).status()).isEqualTo(DeliverUseCase.SKIPPED);

        // Enabled again by its owner: healthy, and a delivered event keeps it so.
        h.webhooks("PATCH", "/" + id, "{\"enabled\":true}");
        assertThat(h.wiring.webhooks().find(h.app.appId(), id).orElseThrow().failingSince()).isNull();
        assertThat(fresh(h).webhookTypes()).containsExactlyInAnyOrder("user.created", "user.erased");
    }

    @Test
    void resendQueuesOneDeliveryAgainAndReplayQueuesAWindowOfTheTypesTheEndpointWants() {
        Harness h = Harness.isolated();
        String id = h.webhookEndpoint(LOOPBACK, "user.created");
        h.wiring.apps().forget(h.app.appId());
        Instant since = h.clock.instant();
        for (int i = 0; i < 3; i++) {
            h.login("device-" + i, "");
            h.clock.advance(Duration.ofMinutes(1));
        }
        List<WebhookEvent> recorded = outbox(h);
        assertThat(recorded).hasSize(3).extracting(WebhookEvent::type).containsOnly("user.created");
        new WebhookFanOutHandler(h.wiring, h.webhookQueue).handleRequest(io.userhub.functions.support.StreamEvents.of(recorded), null);
        assertThat(h.webhookQueue.queued).hasSize(3);
        Delivery first = h.webhookQueue.queued.get(0);
        UseCases.of(h.wiring).webhookDelivery(h.webhookQueue, (url, messageId, secrets, body) ->
                new DeliveryAttempt(204, DeliveryPolicy.Verdict.DELIVERED, Optional.empty(), null, "", Duration.ZERO), 1.0).attempt(first, 1);
        h.webhookQueue.queued.clear();

        Harness.Response resent = h.webhooks("POST", "/" + id + "/deliveries", "{\"delivery_id\":\"" + first.id() + "\"}");
        assertThat(resent.status()).isEqualTo(200);
        assertThat(h.webhookQueue.queued).singleElement().satisfies(again -> {
            assertThat(again.event()).isEqualTo(first.event());
            assertThat(again.series()).isNotEqualTo(first.series());
        });
        assertThat(h.webhooks("POST", "/" + id + "/deliveries", "{\"delivery_id\":\"0000000000000.msg_none\"}").reason())
                .isEqualTo("DELIVERY_NOT_FOUND");
        assertThat(h.webhooks("POST", "/" + id + "/deliveries", "{}").status()).isEqualTo(400);
        assertThat(h.webhooks("POST", "/" + id + "/deliveries", "{\"since\":\"yesterday\"}").status()).isEqualTo(400);

        h.webhookQueue.queued.clear();
        Harness.Response replayed = h.webhooks("POST", "/" + id + "/deliveries",
                "{\"since\":\"" + since.plusSeconds(30) + "\",\"until\":\"" + h.clock.instant() + "\"}");
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.body().path("queued").asInt()).isEqualTo(2);
        assertThat(h.webhookQueue.queued).extracting(d -> d.event().id()).containsExactly(recorded.get(1).id(), recorded.get(2).id());
        assertThat(h.webhooks("POST", "/" + id + "/deliveries", "{\"since\":\"" + since.minus(Duration.ofDays(31)) + "\"}").status())
                .isEqualTo(400);
    }

    private static List<WebhookEvent> outbox(Harness h) {
        return h.wiring.webhooks().between(h.app.appId(), Harness.START.minus(Duration.ofDays(1)), h.clock.instant().plusSeconds(1), 1000);
    }

    private static io.userhub.shared.model.AppConfig fresh(Harness h) {
        h.wiring.apps().forget(h.app.appId());
        return h.wiring.apps().require(h.app.appId());
    }

    private static WebhookEvent event(Harness h, String type, String userId) {
        return new WebhookEvent("msg_" + io.userhub.shared.crypto.Hashing.sha256Hex(userId + type).substring(0, 32), type,
                h.clock.instant(), h.app.appId(), h.app.domainId(), Map.of("user_id", userId));
    }

    private static DeliveryRecord record(Harness h, String endpointId) {
        return h.wiring.webhooks().recent(endpointId, 1).get(0);
    }

    private static List<String> settingsChanges(Harness h) {
        List<String> changes = new ArrayList<>();
        h.appAudit("kind", "settings_changed").body().path("records")
                .forEach(record -> changes.add(record.at("/details/change").asText()));
        return changes;
    }
}
