package io.userhub.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.devkit.SamTemplate;
import io.userhub.testkit.TestTokens;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.json.Json;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.LoginMode;
import io.userhub.shared.model.Session;
import io.userhub.shared.model.SigningKey;
import io.userhub.shared.store.AppStore;
import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.store.SessionStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What ships, run the way Lambda runs it: every function's packaged artifact (the jar `sam build`
 * leaves; {@code -Duserhub.lambda.artifacts=DIR} points at a sam-build-style folder of
 * {@code <LogicalId>/lib/*.jar}) is started in a fresh JVM with the real
 * aws-lambda-java-runtime-interface-client, on the artifact's own classpath plus what the managed
 * runtime provides (never the test classpath, whose DynamoDB Local brings joda-time and friends),
 * against a small Runtime API stub, and fed its events/*.json. Both notifiers must publish.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class PackagedRuntimeIT {
    private static final String EVENTS_SECRET = "userhub-events-secret-not-for-production";
    private static final Path ROOT = SamTemplate.locatePath().getParent();

    private static Wiring wiring;
    private static EventBusStub eventBus;
    private static QueueStub queue;
    private static final List<Process> processes = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void seedTheEventsApp() throws IOException {
        wiring = DynamoDbLocalExtension.isolatedWiring(Clock.systemUTC());
        new AppStore(wiring.dynamo(), wiring.tables().apps()).create(new AppConfig("demo", "events-domain", true,
                List.of(new SigningKey("events-key", "HS256", EVENTS_SECRET, SigningKey.Status.ACTIVE, 1)),
                List.of(Hashing.sha256Hex("uh_events_api_key_not_for_production")),
                AppSettings.defaults().withLoginModes(EnumSet.allOf(LoginMode.class))));
        eventBus = new EventBusStub();
        queue = new QueueStub();
    }

    @AfterAll
    static void stop() {
        processes.forEach(Process::destroyForcibly);
        if (eventBus != null) {
            eventBus.server.stop(0);
        }
        if (queue != null) {
            queue.server.stop(0);
        }
    }

    @Test
    void everyPackagedFunctionStartsInTheLambdaRuntimeAndAnswersItsEvents() throws Exception {
        Map<String, SamTemplate.Function> byRoute = new LinkedHashMap<>();
        for (SamTemplate.Function f : SamTemplate.locate().functions()) {
            f.routes().forEach(r -> byRoute.put(r.path().isEmpty() ? "$default" : r.method() + " " + r.path(), f));
        }

        List<Path> files;
        try (var list = Files.list(ROOT.resolve("events"))) {
            files = list.filter(p -> p.toString().endsWith(".json") && !p.getFileName().toString().matches("(schedule|stream|sqs)-.*"))
                    .sorted().toList();
        }
        for (Path file : files) {
            // Session and user routes act on the user of a login made just before, through the packaged login function.
            JsonNode login = invoke(byRoute.get("POST /v1/apps/{appId}/login"), fresh(event("login-identities.json"), null, null));
            assertThat(login.path("statusCode").asInt()).as(login.toString()).isEqualTo(200);
            JsonNode loginBody = Json.MAPPER.readTree(login.path("body").asText());
            ObjectNode event = fresh(event(file.getFileName().toString()), loginBody.path("session_token").asText(),
                    loginBody.at("/user/id").asText());
            String routeKey = event.path("routeKey").asText();
            SamTemplate.Function function = byRoute.get(routeKey);
            assertThat(function).as("template route for " + routeKey).isNotNull();
            JsonNode response = invoke(function, event);
            // The unmerge event names no real merge (its merge_id is for one of your own logins' audit records): 404 MERGE_NOT_FOUND.
            // The deliveries event names no real endpoint: 404 WEBHOOK_ENDPOINT_NOT_FOUND.
            int expected = routeKey.equals("$default") || routeKey.endsWith("/unmerge") || routeKey.endsWith("/deliveries") ? 404 : 200;
            assertThat(response.path("statusCode").asInt()).as(file.getFileName() + " -> " + response).isEqualTo(expected);
            if (routeKey.startsWith("GET /console")) {
                // The support console's page and script, from the jar's resources.
                assertThat(response.path("body").asText()).as(file.getFileName().toString()).containsAnyOf("<!doctype html>", "sessionStorage");
            } else {
                assertThat(Json.MAPPER.readTree(response.path("body").asText()).isObject()).isTrue();
            }
        }
        // What CloudWatch would get from the login function: JSON request lines, no start-up warnings.
        List<String> logged = Files.readAllLines(ROOT.resolve("functions/target/runtime-LoginFunction.log"));
        assertThat(logged).noneMatch(line -> line.contains("SLF4J") || line.contains("WARNING"));
        assertThat(logged).anyMatch(line -> line.startsWith("{") && line.contains("\"message\":\"request\"")
                && line.contains("\"Route\":\"POST /v1/apps/{appId}/login\""));
    }

    @Test
    void bothNotifiersPublishFromThePackagedArtifact() throws Exception {
        SessionStore sessions = new SessionStore(wiring.dynamo(), wiring.tables().sessions());
        Instant now = Instant.now();
        Session refreshDue = new Session(Hashing.randomId(), "demo", "events-domain", Hashing.randomId(), "dev-r",
                now.minusSeconds(3600), now.plusSeconds(600), now.minusSeconds(60), false, false);
        Session expired = new Session(Hashing.randomId(), "demo", "events-domain", Hashing.randomId(), "dev-e",
                now.minusSeconds(7200), now.minusSeconds(60), now.minusSeconds(1800), false, false);
        for (Session s : List.of(refreshDue, expired)) {
            io.userhub.testkit.TestSessions.store(sessions, s);
        }
        ObjectNode schedule = event("schedule-every-minute.json");
        for (SamTemplate.Function function : SamTemplate.locate().functions()) {
            if (function.schedules().isEmpty()) {
                continue;
            }
            JsonNode summary = invoke(function, schedule);
            assertThat(summary.path("notified").asInt()).as(function.logicalId() + " " + summary).isEqualTo(1);
        }
        assertThat(eventBus.detailTypes).contains("refreshUserCredentials", "userSessionExpired");
    }

    @Test
    void theWebhookEngineRunsFromThePackagedArtifact() throws Exception {
        List<Map<String, String>> received = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger answer = new java.util.concurrent.atomic.AtomicInteger(204);
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            Map<String, String> delivery = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> delivery.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
            delivery.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            received.add(delivery);
            exchange.sendResponseHeaders(answer.get(), -1);
            exchange.close();
        });
        receiver.start();
        try {
            String secret = io.userhub.shared.webhook.StandardWebhooks.newSecret();
            String endpointId = io.userhub.shared.webhook.EndpointRules.newEndpointId();
            wiring.webhooks().create(new io.userhub.shared.webhook.WebhookEndpoint("demo", endpointId,
                    "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", java.util.Set.of("user.created"), true, "",
                    List.of(new io.userhub.shared.webhook.WebhookEndpoint.Secret(secret, null)), Instant.now(), null, null, 1), 10);
            Map<String, SamTemplate.Function> byId = new LinkedHashMap<>();
            SamTemplate.locate().functions().forEach(f -> byId.put(f.logicalId(), f));

            // The stream's new outbox event becomes one delivery on the FIFO queue, grouped by endpoint and user.
            JsonNode fannedOut = invoke(byId.get("WebhookFanOutFunction"), event("stream-webhook-events.json"));
            assertThat(fannedOut.path("deliveries").asInt()).as(fannedOut.toString()).isEqualTo(1);
            assertThat(queue.sent).hasSize(1);
            JsonNode sent = queue.sent.get(0);
            assertThat(sent.path("MessageGroupId").asText()).isEqualTo(endpointId + ".sample-user-1");
            assertThat(sent.path("MessageDeduplicationId").asText()).isNotBlank();

            // The delivery function sends it, signed; the receiver's 204 ends it.
            ObjectNode delivery = event("sqs-webhook-delivery.json");
            ObjectNode record = (ObjectNode) delivery.path("Records").get(0);
            record.put("body", sent.path("MessageBody").asText());
            JsonNode delivered = invoke(byId.get("WebhookDeliveryFunction"), delivery);
            assertThat(delivered.path("batchItemFailures").size()).as(delivered.toString()).isZero();
            assertThat(received).hasSize(1);
            Map<String, String> first = received.get(0);
            assertThat(first.get("webhook-id")).isEqualTo("msg_00000000000000000000000000000001");
            assertThat(io.userhub.shared.webhook.StandardWebhooks.verify(secret, first.get("webhook-id"), first.get("webhook-timestamp"),
                    first.get("webhook-signature"), first.get("body"), Instant.now())).isTrue();

            // A 503 leaves the message on the queue, invisible for the first back-off (5 s), reported as the batch's failure.
            answer.set(503);
            record.with("attributes").put("ApproximateReceiveCount", "1");
            record.put("receiptHandle", "second-receipt");
            JsonNode retried = invoke(byId.get("WebhookDeliveryFunction"), delivery);
            assertThat(retried.path("batchItemFailures").get(0).path("itemIdentifier").asText()).isEqualTo(record.path("messageId").asText());
            assertThat(queue.visibilityChanges).singleElement().satisfies(change -> {
                assertThat(change.path("ReceiptHandle").asText()).isEqualTo("second-receipt");
                assertThat(change.path("VisibilityTimeout").asInt()).isEqualTo(5);
            });
            assertThat(received).hasSize(2);
            assertThat(received.get(1).get("webhook-id")).isEqualTo(first.get("webhook-id"));
        } finally {
            receiver.stop(0);
        }
    }

    // ---- the runtime ---------------------------------------------------------------------------

    private static final Map<String, RuntimeApiStub> runtimes = new ConcurrentHashMap<>();

    private static JsonNode invoke(SamTemplate.Function function, JsonNode event) throws Exception {
        RuntimeApiStub runtime = runtimes.computeIfAbsent(function.logicalId(), id -> start(function));
        return runtime.invoke(Json.write(event)).get(60, TimeUnit.SECONDS);
    }

    private static RuntimeApiStub start(SamTemplate.Function function) {
        try {
            JsonNode template = SamTemplate.locate().root();
            JsonNode timeout = template.at("/Resources/" + function.logicalId() + "/Properties/Timeout");
            RuntimeApiStub stub = new RuntimeApiStub((timeout.isMissingNode() ? template.at("/Globals/Function/Timeout") : timeout).asInt(10));
            Path artifact = artifactOf(function.logicalId());
            Path runtime = Path.of(System.getProperty("userhub.lambda.runtime", ROOT.resolve("functions/target/lambda-runtime").toString()));
            String classpath = runtime.toAbsolutePath() + "/*" + java.io.File.pathSeparator + artifact.toAbsolutePath();
            String handler = SamTemplate.locate().root().at("/Resources/" + function.logicalId() + "/Properties/Handler").asText();
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classpath, "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", handler);
            Map<String, String> env = builder.environment();
            env.clear();
            env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            env.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + stub.server.getAddress().getPort());
            env.put("AWS_LAMBDA_FUNCTION_NAME", function.logicalId());
            env.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
            env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
            env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.logicalId());
            env.put("AWS_LAMBDA_LOG_STREAM_NAME", "test");
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_ACCESS_KEY_ID", "local");
            env.put("AWS_SECRET_ACCESS_KEY", "local");
            env.put("AWS_ENDPOINT_URL_DYNAMODB", DynamoDbLocalExtension.endpoint().toString());
            env.put("AWS_ENDPOINT_URL_EVENTBRIDGE", "http://127.0.0.1:" + eventBus.server.getAddress().getPort());
            env.put("APPS_TABLE", wiring.tables().apps());
            env.put("USERS_TABLE", wiring.tables().users());
            env.put("SESSIONS_TABLE", wiring.tables().sessions());
            env.put("EVENT_BUS_NAME", "userhub-test-bus");
            env.put("WEBHOOKS_TABLE", wiring.tables().webhooks());
            env.put("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:" + queue.server.getAddress().getPort());
            env.put("WEBHOOK_QUEUE_URL", "http://127.0.0.1:" + queue.server.getAddress().getPort() + "/000000000000/WebhookQueue.fifo");
            env.put("WEBHOOK_DEAD_LETTER_QUEUE_URL", "http://127.0.0.1:" + queue.server.getAddress().getPort()
                    + "/000000000000/WebhookDeadLetterQueue.fifo");
            if (function.logicalId().equals("WebhookDeliveryFunction")) {
                // The test's receiver listens on 127.0.0.1, which only local use may reach (OutboundUrls).
                env.put("USERHUB_LOCAL", "true");
            }
            builder.redirectErrorStream(true).redirectOutput(ROOT.resolve("functions/target/runtime-" + function.logicalId() + ".log").toFile());
            processes.add(builder.start());
            return stub;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path artifactOf(String logicalId) throws IOException {
        String artifacts = System.getProperty("userhub.lambda.artifacts");
        if (artifacts != null && !artifacts.isBlank()) {
            try (var jars = Files.list(Path.of(artifacts, logicalId, "lib"))) {
                return jars.filter(p -> p.toString().endsWith(".jar")).findFirst().orElseThrow();
            }
        }
        try (var jars = Files.list(ROOT.resolve("functions/target"))) {
            return jars.filter(p -> p.getFileName().toString().endsWith("-lambda.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("run mvn package first: no functions/target/*-lambda.jar"));
        }
    }

    /** The Lambda Runtime API (2018-06-01) as far as one function instance uses it. */
    private static final class RuntimeApiStub {
        final HttpServer server;
        final BlockingQueue<String[]> pending = new LinkedBlockingQueue<>();
        final Map<String, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();
        final int timeoutSeconds;

        RuntimeApiStub(int timeoutSeconds) throws IOException {
            this.timeoutSeconds = timeoutSeconds;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "runtime-api-stub");
                t.setDaemon(true);
                return t;
            }));
            server.createContext("/2018-06-01/runtime/", this::handle);
            server.start();
        }

        CompletableFuture<JsonNode> invoke(String event) {
            String id = UUID.randomUUID().toString();
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            answers.put(id, answer);
            pending.add(new String[] {id, event});
            return answer;
        }

        private void handle(HttpExchange exchange) throws IOException {
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            try {
                if (path.endsWith("/invocation/next")) {
                    String[] next = pending.take();
                    exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", next[0]);
                    exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", String.valueOf(System.currentTimeMillis() + timeoutSeconds * 1000L));
                    exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:000000000000:function:test");
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    reply(exchange, 200, next[1]);
                    return;
                }
                String text = new String(body, StandardCharsets.UTF_8);
                if (path.contains("/init/error")) {
                    answers.values().forEach(a -> a.completeExceptionally(new AssertionError("init error: " + text)));
                } else if (path.endsWith("/response")) {
                    answers.get(requestId(path)).complete(Json.MAPPER.readTree(text));
                } else if (path.endsWith("/error")) {
                    answers.get(requestId(path)).completeExceptionally(new AssertionError("function error: " + text));
                }
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.close();
            }
        }

        private static String requestId(String path) {
            String[] parts = path.split("/");
            return parts[parts.length - 2];
        }
    }

    /** EventBridge's PutEvents, recording what was published. */
    private static final class EventBusStub {
        final HttpServer server;
        final List<String> detailTypes = new CopyOnWriteArrayList<>();

        EventBusStub() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                JsonNode request;
                try (InputStream in = exchange.getRequestBody()) {
                    request = Json.MAPPER.readTree(in);
                }
                ObjectNode response = Json.object().put("FailedEntryCount", 0);
                var entries = response.putArray("Entries");
                request.path("Entries").forEach(entry -> {
                    detailTypes.add(entry.path("DetailType").asText());
                    entries.addObject().put("EventId", UUID.randomUUID().toString());
                });
                exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
                reply(exchange, 200, Json.write(response));
            });
            server.start();
        }
    }

    /** SQS's JSON protocol as the engine uses it: SendMessageBatch and SendMessage recorded, ChangeMessageVisibility recorded. */
    private static final class QueueStub {
        final HttpServer server;
        final List<JsonNode> sent = new CopyOnWriteArrayList<>();
        final List<JsonNode> deadLetters = new CopyOnWriteArrayList<>();
        final List<JsonNode> visibilityChanges = new CopyOnWriteArrayList<>();

        QueueStub() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                JsonNode request;
                try (InputStream in = exchange.getRequestBody()) {
                    request = Json.MAPPER.readTree(in);
                }
                String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
                ObjectNode response = Json.object();
                if (target.endsWith(".SendMessageBatch")) {
                    var successful = response.putArray("Successful");
                    response.putArray("Failed");
                    request.path("Entries").forEach(entry -> {
                        sent.add(entry);
                        successful.addObject().put("Id", entry.path("Id").asText()).put("MessageId", UUID.randomUUID().toString())
                                .put("MD5OfMessageBody", md5(entry.path("MessageBody").asText())).put("SequenceNumber", "1");
                    });
                } else if (target.endsWith(".SendMessage")) {
                    deadLetters.add(request);
                    response.put("MessageId", UUID.randomUUID().toString()).put("MD5OfMessageBody", md5(request.path("MessageBody").asText()));
                } else if (target.endsWith(".ChangeMessageVisibility")) {
                    visibilityChanges.add(request);
                }
                exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
                reply(exchange, 200, Json.write(response));
            });
            server.start();
        }

        private static String md5(String text) {
            try {
                return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    // ---- events ------------------------------------------------------------------------------

    private static ObjectNode event(String name) throws IOException {
        return (ObjectNode) Json.MAPPER.readTree(ROOT.resolve("events").resolve(name).toFile());
    }

    /** The sample event with its tokens issued now (the files carry a fixed iat) and its placeholders filled. */
    private static ObjectNode fresh(ObjectNode event, String session, String userId) throws IOException {
        JsonNode headers = event.path("headers");
        if (session != null && headers.path("authorization").asText().equals("Bearer REPLACE_WITH_SESSION_TOKEN")) {
            ((ObjectNode) headers).put("authorization", "Bearer " + session);
        }
        if (userId != null && event.path("pathParameters").path("userId").asText().equals("REPLACE_WITH_USER_ID")) {
            ((ObjectNode) event.path("pathParameters")).put("userId", userId);
            event.put("rawPath", event.path("rawPath").asText().replace("REPLACE_WITH_USER_ID", userId));
        }
        if (event.hasNonNull("body") && event.path("body").asText().startsWith("{")) {
            event.put("body", TestTokens.reissuedBody(event.path("body").asText(), EVENTS_SECRET, Instant.now().getEpochSecond()));
        }
        return event;
    }
}
