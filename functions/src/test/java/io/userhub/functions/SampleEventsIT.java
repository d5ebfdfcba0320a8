package io.userhub.functions;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.testkit.MutableClock;
import io.userhub.testkit.TestTokens;
import io.userhub.devkit.SamTemplate;
import io.userhub.functions.support.Harness;
import io.userhub.functions.support.RecordingPublisher;
import io.userhub.shared.notice.NoticePublisher;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.LoginMode;
import io.userhub.shared.model.SigningKey;
import io.userhub.shared.store.AppStore;
import io.userhub.shared.crypto.Hashing;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every file of events/ is deserialised the way the Lambda Java runtime does it, routed by its
 * routeKey to the function template.yaml declares for that route, and handled successfully.
 * The events are signed with the public test key documented in events/generate.py.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class SampleEventsIT {
    private static final String EVENTS_SECRET = "userhub-events-secret-not-for-production";
    /**
     * The files' tokens carry a fixed iat; they are sent reissued at the tests' start, never with the
     * clock pinned to the files' day: DynamoDB Local deletes items whose TTL is past on the real
     * clock, so sessions made on a clock a week back could vanish between a login and its use.
     */
    private static final Instant NOW = MutableClock.TEST_START;
    private static Wiring wiring;

    @BeforeAll
    static void seedTheEventsApp() {
        wiring = DynamoDbLocalExtension.wiring(MutableClock.at(NOW));
        AppStore apps = new AppStore(wiring.dynamo(), wiring.tables().apps());
        if (apps.find("demo").isEmpty()) {
            apps.create(new AppConfig("demo", "events-domain", true,
                    List.of(new SigningKey("events-key", "HS256", EVENTS_SECRET, SigningKey.Status.ACTIVE, 1)),
                    List.of(Hashing.sha256Hex("uh_events_api_key_not_for_production")),
                    AppSettings.defaults().withLoginModes(EnumSet.allOf(LoginMode.class))));
        }
    }

    static Stream<Path> eventFiles() throws IOException {
        Path events = SamTemplate.locatePath().getParent().resolve("events");
        return Files.list(events).filter(p -> p.toString().endsWith(".json"))
                .filter(p -> !p.getFileName().toString().matches("(schedule|stream|sqs)-.*")).sorted();
    }

    static Stream<Path> scheduleFiles() throws IOException {
        Path events = SamTemplate.locatePath().getParent().resolve("events");
        return Files.list(events).filter(p -> p.getFileName().toString().startsWith("schedule-")).sorted();
    }

    @ParameterizedTest
    @MethodSource("scheduleFiles")
    void theScheduledEventRunsEveryScheduledFunction(Path file) throws Exception {
        // The notifiers take the schedule's event as a map (as the Lambda runtime's serializer gives it).
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> event = io.userhub.shared.json.Json.MAPPER.readValue(file.toFile(), java.util.Map.class);
        assertThat(event).containsEntry("detail-type", "Scheduled Event");
        Wiring isolated = DynamoDbLocalExtension.isolatedWiring(MutableClock.at(NOW));
        List<SamTemplate.Function> scheduled = SamTemplate.locate().functions().stream().filter(f -> !f.schedules().isEmpty()).toList();
        assertThat(scheduled).hasSize(2);
        for (SamTemplate.Function function : scheduled) {
            @SuppressWarnings("unchecked")
            RequestHandler<java.util.Map<String, Object>, java.util.Map<String, Object>> handler = (RequestHandler<java.util.Map<String, Object>, java.util.Map<String, Object>>)
                    Class.forName(function.handlerClass()).getConstructor(Wiring.class, NoticePublisher.class)
                            .newInstance(isolated, new RecordingPublisher());
            assertThat(handler.handleRequest(event, null)).containsEntry("examined", 0).containsKey("kind");
        }
    }

    @org.junit.jupiter.api.Test
    void theStreamEventIsFannedOutToTheEndpointsThatWantIt() throws Exception {
        Wiring isolated = DynamoDbLocalExtension.isolatedWiring(MutableClock.at(NOW));
        new io.userhub.shared.store.AppStore(isolated.dynamo(), isolated.tables().apps()).create(new AppConfig("demo", "events-domain", true,
                List.of(new SigningKey("events-key", "HS256", EVENTS_SECRET, SigningKey.Status.ACTIVE, 1)), List.of(), AppSettings.defaults()));
        for (java.util.Set<String> types : List.of(java.util.Set.of("user.created"), java.util.Set.of("user.erased"))) {
            isolated.webhooks().create(new io.userhub.shared.webhook.WebhookEndpoint("demo",
                    io.userhub.shared.webhook.EndpointRules.newEndpointId(), "https://hooks.example.com/" + types.iterator().next(), types,
                    true, "", List.of(new io.userhub.shared.webhook.WebhookEndpoint.Secret(
                    io.userhub.shared.webhook.StandardWebhooks.newSecret(), null)), NOW, null, null, 1), 10);
        }
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> event = io.userhub.shared.json.Json.MAPPER.readValue(
                SamTemplate.locatePath().getParent().resolve("events/stream-webhook-events.json").toFile(), java.util.Map.class);
        var queue = new io.userhub.functions.support.RecordingDeliveryQueue();
        assertThat(new io.userhub.functions.webhooks.WebhookFanOutHandler(isolated, queue).handleRequest(event, null))
                .containsEntry("events", 1).containsEntry("deliveries", 1);
        assertThat(queue.queued).singleElement().satisfies(delivery -> {
            assertThat(delivery.event().type()).isEqualTo("user.created");
            assertThat(delivery.event().data()).containsEntry("user_id", "sample-user-1");
        });
    }

    @ParameterizedTest
    @MethodSource("eventFiles")
    void eachSampleEventIsHandledByTheFunctionTheTemplateRoutesItTo(Path file) throws Exception {
        PojoSerializer<APIGatewayV2HTTPEvent> serializer =
                LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, getClass().getClassLoader());
        APIGatewayV2HTTPEvent event;
        try (InputStream in = Files.newInputStream(file)) {
            event = serializer.fromJson(in);
        }
        assertThat(event.getRequestContext().getHttp().getMethod()).isNotBlank();
        reissueTokens(event);
        if (event.getHeaders() != null && "Bearer REPLACE_WITH_SESSION_TOKEN".equals(event.getHeaders().get("authorization"))) {
            java.util.Map<String, String> headers = new java.util.HashMap<>(event.getHeaders());
            headers.put("authorization", "Bearer " + sessionFromTheLoginEvent(serializer));
            event.setHeaders(headers);
        }

        if (event.getPathParameters() != null && "REPLACE_WITH_USER_ID".equals(event.getPathParameters().get("userId"))) {
            String userId = loginWithTheSampleEvent(serializer).text("/user/id");
            java.util.Map<String, String> parameters = new java.util.HashMap<>(event.getPathParameters());
            parameters.put("userId", userId);
            event.setPathParameters(parameters);
            event.setRawPath(event.getRawPath().replace("REPLACE_WITH_USER_ID", userId));
        }
        SamTemplate.Function function = functionFor(event.getRouteKey());
        RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler = instantiate(function.handlerClass());
        Harness.Response response = Harness.call(handler.handleRequest(event, null));

        // The unmerge event names no real merge (its merge_id is for one of your own logins' audit records): 404 MERGE_NOT_FOUND;
        // the deliveries event no real endpoint: 404 WEBHOOK_ENDPOINT_NOT_FOUND.
        int expected = event.getRouteKey().equals("$default") || event.getRouteKey().endsWith("/unmerge")
                || event.getRouteKey().endsWith("/deliveries") ? 404 : 200;
        assertThat(response.status()).as(file.getFileName() + " -> " + response.body()).isEqualTo(expected);
    }

    /** Session-route events name no real session; log in with the sample login event to get one. */
    private static String sessionFromTheLoginEvent(PojoSerializer<APIGatewayV2HTTPEvent> serializer) throws Exception {
        return loginWithTheSampleEvent(serializer).text("/session_token");
    }

    private static Harness.Response loginWithTheSampleEvent(PojoSerializer<APIGatewayV2HTTPEvent> serializer) throws Exception {
        Path login = SamTemplate.locatePath().getParent().resolve("events/login-identities.json");
        try (InputStream in = Files.newInputStream(login)) {
            APIGatewayV2HTTPEvent event = serializer.fromJson(in);
            reissueTokens(event);
            Harness.Response response = Harness.call(instantiate(functionFor(event.getRouteKey()).handlerClass()).handleRequest(event, null));
            assertThat(response.status()).isEqualTo(200);
            return response;
        }
    }

    private static void reissueTokens(APIGatewayV2HTTPEvent event) {
        if (event.getBody() != null && event.getBody().startsWith("{")) {
            event.setBody(TestTokens.reissuedBody(event.getBody(), EVENTS_SECRET, NOW.getEpochSecond()));
        }
    }

    private static SamTemplate.Function functionFor(String routeKey) {
        return SamTemplate.locate().functions().stream()
                .filter(f -> f.routes().stream().anyMatch(r -> routeKey.equals("$default")
                        ? r.path().isEmpty() : routeKey.equals(r.method() + " " + r.path())))
                .findFirst().orElseThrow(() -> new AssertionError("template.yaml has no route " + routeKey));
    }

    @SuppressWarnings("unchecked")
    private static RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> instantiate(String className) throws Exception {
        Class<?> type = Class.forName(className);
        if (type == io.userhub.functions.webhooks.WebhooksHandler.class) {
            return new io.userhub.functions.webhooks.WebhooksHandler(wiring, new io.userhub.functions.support.RecordingDeliveryQueue(), false);
        }
        try {
            return (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) type.getConstructor(Wiring.class).newInstance(wiring);
        } catch (NoSuchMethodException noWiring) {
            return (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) type.getConstructor().newInstance();
        }
    }
}
