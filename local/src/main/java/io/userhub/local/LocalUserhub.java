package io.userhub.local;

import io.userhub.devkit.LocalDynamo;
import io.userhub.devkit.SamTemplate;
import io.userhub.devkit.TemplateTables;
import io.userhub.shared.config.AwsClients;
import io.userhub.shared.config.Environment;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.store.AppStore;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * userhub on one machine: DynamoDB Local (or the DynamoDB that AWS_ENDPOINT_URL names), the
 * tables of template.yaml, the demo app, and the local API server in front of the handlers.
 */
public final class LocalUserhub implements AutoCloseable {

    /**
     * @param scheduleSeconds seconds between runs of the scheduled functions; 0 keeps each
     *                        function's own rate from the template, negative runs none
     */
    public record Options(int port, Path dataDirectory, Path template, Map<String, String> environment, long scheduleSeconds) {
        public Options(int port, Path dataDirectory, Path template, Map<String, String> environment) {
            this(port, dataDirectory, template, environment, 0);
        }
    }

    private final LocalDynamo dynamo;
    private final LocalApiServer server;
    private final DemoApp.Credentials demo;
    private final URI dynamoEndpoint;
    private final Wiring wiring;
    private final LocalSchedules schedules;
    private final LocalDeliveryQueue webhooks;
    private final LocalStreamMapping streams;

    private LocalUserhub(LocalDynamo dynamo, LocalApiServer server, DemoApp.Credentials demo, URI dynamoEndpoint, Wiring wiring,
                         LocalSchedules schedules, LocalDeliveryQueue webhooks, LocalStreamMapping streams) {
        this.schedules = schedules;
        this.webhooks = webhooks;
        this.streams = streams;
        this.dynamo = dynamo;
        this.server = server;
        this.demo = demo;
        this.dynamoEndpoint = dynamoEndpoint;
        this.wiring = wiring;
    }

    public static LocalUserhub start(Options options, Consumer<String> log) throws IOException {
        SamTemplate template = SamTemplate.load(options.template());
        Environment outer = new Environment(options.environment());
        LocalDynamo dynamo = null;
        URI endpoint;
        if (outer.dynamoEndpoint().isPresent()) {
            endpoint = URI.create(outer.dynamoEndpoint().get());
        } else {
            dynamo = LocalDynamo.start(options.dataDirectory());
            endpoint = dynamo.endpoint();
        }
        try {
            // The handlers' JSON lines go where this server's own lines go (stderr for ./run-local).
            io.userhub.shared.observability.JsonLog.sinkTo(log);
            Map<String, String> env = new HashMap<>(functionEnvironment(template));
            env.putAll(options.environment());
            env.put("AWS_ENDPOINT_URL_DYNAMODB", endpoint.toString());
            env.putIfAbsent("AWS_REGION", "us-east-1");
            // The apps' signing secrets are sealed locally too: under a key file of the data directory
            // (kept with the data), or of a temporary directory when the data lives in memory only.
            if (!options.environment().containsKey(Environment.SECRETS_KMS_KEY_ID)) {
                env.remove(Environment.SECRETS_KMS_KEY_ID); // the template's KMS key is the stack's, not this machine's
            }
            env.putIfAbsent(Environment.SECRETS_LOCAL_KEY_FILE, (options.dataDirectory() != null ? options.dataDirectory()
                    : java.nio.file.Files.createTempDirectory("userhub-secrets")).resolve("secrets.key").toString());
            env.put(Environment.LOCAL_USE, "true"); // a JWK Set on loopback is the developer's own server
            Environment environment = new Environment(env);
            Wiring wiring = Wiring.fromEnvironment(environment, List.of());
            TemplateTables.create(AwsClients.dynamo(environment, List.of()), template);
            DemoApp.Credentials demo = DemoApp.seed(new AppStore(wiring.dynamo(), wiring.tables().apps(),
                    AwsClients.secretSeal(environment)), wiring.clock());
            // The webhook engine: the table's stream feeds the template's fan-out function, as its event
            // source mapping would; deliveries go out through the in-memory twin of the FIFO queue.
            LocalDeliveryQueue webhooks = new LocalDeliveryQueue(log);
            double backoffScale = environment.webhookBackoffScale();
            webhooks.deliverWith(queue -> io.userhub.functions.UseCases.of(wiring).webhookDelivery(queue,
                    new io.userhub.shared.outbound.WebhookSender(io.userhub.shared.outbound.OutboundUrls.SYSTEM, true, wiring.clock()),
                    backoffScale));
            LocalApiServer server = new LocalApiServer(RouteTable.fromTemplate(template, wiring, webhooks), template.cors(), options.port(), log,
                    pages(options.template().toAbsolutePath().getParent()));
            LocalWebhookInbox inbox = new LocalWebhookInbox();
            server.addContext(LocalWebhookInbox.PATH, inbox::handle);
            server.start();
            LocalStreamMapping streams = LocalStreamMapping.fromTemplate(template, wiring.dynamo(), endpoint,
                    env.get("AWS_REGION"), Map.of("WebhooksTable", wiring.tables().webhooks()),
                    Map.of("WebhookFanOutFunction", new io.userhub.functions.webhooks.WebhookFanOutHandler(wiring, webhooks)), log);
            LocalSchedules schedules = LocalSchedules.fromTemplate(template, wiring, log, options.scheduleSeconds());
            return new LocalUserhub(dynamo, server, demo, endpoint, wiring, schedules, webhooks, streams);
        } catch (IOException | RuntimeException e) {
            if (dynamo != null) {
                dynamo.close();
            }
            throw e;
        }
    }

    /** Globals.Function.Environment of the template; every function here shares it. */
    private static Map<String, String> functionEnvironment(SamTemplate template) {
        Map<String, String> env = new HashMap<>();
        template.functions().forEach(f -> env.putAll(f.environment()));
        env.remove("JAVA_TOOL_OPTIONS");
        env.remove("EVENT_BUS_NAME");
        return env;
    }

    public URI url() {
        return server.url();
    }

    public DemoApp.Credentials demo() {
        return demo;
    }

    public URI dynamoEndpoint() {
        return dynamoEndpoint;
    }

    public Wiring wiring() {
        return wiring;
    }

    public LocalSchedules schedules() {
        return schedules;
    }

    /** The local webhook engine's queue (its dead letters, for tests). */
    LocalDeliveryQueue webhooks() {
        return webhooks;
    }

    @Override
    public void close() {
        schedules.close();
        streams.close();
        webhooks.close();
        server.close();
        wiring.parallel().shutdownNow();
        if (dynamo != null) {
            dynamo.close();
        }
    }

    /**
     * What the local server serves beside the API, read from the checkout at each request: the
     * OpenAPI document (docs/openapi.yaml as JSON), the demo page and the web client.
     */
    static Map<String, LocalApiServer.Page> pages(Path root) {
        Map<String, LocalApiServer.Page> pages = new HashMap<>();
        pages.put("/", new LocalApiServer.Page("text/html; charset=utf-8", () -> ("<!doctype html><meta charset=utf-8><title>userhub</title>"
                + "<h1>userhub (local)</h1><ul><li><a href=\"/demo\">/demo</a>: the web client's demo page (open it with the"
                + " <code>demo</code> URL ./run-local printed)</li><li><a href=\"/openapi.json\">/openapi.json</a>: the API as OpenAPI 3.1</li>"
                + "<li><a href=\"/clients/web/userhub.js\">/clients/web/userhub.js</a>: the web client</li>"
                + "<li><a href=\"/console\">/console</a>: the support console (sign in with the demo app's API key)</li></ul>")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        pages.put("/openapi.json", new LocalApiServer.Page("application/json", () -> openApiJson(root)));
        pages.put("/demo", new LocalApiServer.Page("text/html; charset=utf-8", () -> read(root.resolve("clients/web/demo.html"))));
        pages.put("/clients/web/userhub.js", new LocalApiServer.Page("text/javascript; charset=utf-8",
                () -> read(root.resolve("clients/web/userhub.js"))));
        return pages;
    }

    static byte[] openApiJson(Path root) {
        try {
            var yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
            return io.userhub.shared.json.Json.write(yaml.readTree(root.resolve("docs/openapi.yaml").toFile()))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return java.nio.file.Files.readAllBytes(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
