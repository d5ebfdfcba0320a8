package io.userhub.functions.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.shared.config.AwsClients;
import io.userhub.shared.config.Environment;
import io.userhub.shared.config.Wiring;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A proxy in front of DynamoDB Local (127.0.0.1, free port, closed by the test) that injects the
 * faults a real DynamoDB shows: throttling beyond the SDK's retries, a server that accepts and
 * never answers, and a write that commits but whose answer is lost with the connection.
 */
public final class FaultyDynamo implements AutoCloseable {
    public enum Fault { NONE, THROTTLE, HANG, COMMIT_THEN_DROP }

    private final HttpServer server;
    private final HttpClient forward = HttpClient.newHttpClient();
    private final URI target = DynamoDbLocalExtension.endpoint();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Fault fault = Fault.NONE;
    private volatile Set<String> faultyOperations = Set.of();
    public final AtomicInteger faultsInjected = new AtomicInteger();

    public FaultyDynamo() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "faulty-dynamo");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** From now on, the given operations (e.g. "TransactWriteItems"; empty = all) suffer the fault. */
    public void inject(Fault fault, String... operations) {
        this.faultyOperations = Set.of(operations);
        this.fault = fault;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Handler wiring whose DynamoDB client goes through this proxy (the SDK settings of production). */
    public Wiring wiring(Clock clock) {
        Map<String, String> variables = new HashMap<>(DynamoDbLocalExtension.environment().variables());
        variables.put("AWS_ENDPOINT_URL_DYNAMODB", endpoint().toString());
        Environment environment = new Environment(variables);
        return Wiring.of(AwsClients.dynamo(environment, List.of()), DynamoDbLocalExtension.tables(), clock, Duration.ofSeconds(60));
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        String operation = amzTarget == null ? "" : amzTarget.substring(amzTarget.indexOf('.') + 1);
        Fault now = faultyOperations.isEmpty() || faultyOperations.contains(operation) ? fault : Fault.NONE;
        if (now != Fault.NONE) {
            faultsInjected.incrementAndGet();
        }
        try {
            switch (now) {
                case THROTTLE -> respond(exchange, 400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\","
                        + "\"message\":\"The level of configured provisioned throughput for the table was exceeded.\"}");
                case HANG -> {
                    closing.await();
                    exchange.close();
                }
                case COMMIT_THEN_DROP -> {
                    forward(exchange, body);
                    // The write landed; its answer never reaches the client.
                    exchange.close();
                }
                default -> {
                    HttpResponse<byte[]> response = forward(exchange, body);
                    exchange.getResponseHeaders().put("Content-Type", List.of(response.headers().firstValue("Content-Type").orElse("application/x-amz-json-1.0")));
                    response.headers().firstValue("x-amz-crc32").ifPresent(crc -> exchange.getResponseHeaders().put("x-amz-crc32", List.of(crc)));
                    exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(response.body());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
        }
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().getPath()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!Set.of("host", "content-length", "connection", "expect", "upgrade").contains(name.toLowerCase())) {
                values.forEach(v -> request.header(name, v));
            }
        });
        return forward.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.getResponseHeaders().put("Content-Type", List.of("application/x-amz-json-1.0"));
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
