package io.userhub.testkit;

import io.userhub.devkit.LocalDynamo;
import io.userhub.devkit.SamTemplate;
import io.userhub.devkit.TemplateTables;

import io.userhub.shared.config.AwsClients;
import io.userhub.shared.config.Environment;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.store.Tables;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One DynamoDB Local per test run (on 127.0.0.1, stopped when the run ends), with the tables of
 * template.yaml. Tests isolate themselves by using their own app and domain ids.
 */
public final class DynamoDbLocalExtension implements BeforeAllCallback {

    private static final class Running implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final LocalDynamo dynamo;

        Running(LocalDynamo dynamo) {
            this.dynamo = dynamo;
        }

        @Override
        public void close() {
            dynamo.close();
        }
    }

    private static volatile URI endpoint;
    private static volatile URI redirected;

    /** Points every test client at another DynamoDB (LocalStack) until {@link #restore()}; the tables must exist there. */
    public static void redirect(URI otherEndpoint) {
        redirected = otherEndpoint;
    }

    public static void restore() {
        redirected = null;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(Running.class, key -> {
            // Tests make thousands of requests: their JSON log lines would drown the build's output.
            // Tests of the lines themselves (ObservabilityIT) capture them.
            io.userhub.shared.observability.JsonLog.sinkTo(line -> { });
            LocalDynamo dynamo = LocalDynamo.startInMemory();
            endpoint = dynamo.endpoint();
            TemplateTables.create(client(List.of()), SamTemplate.locate());
            return new Running(dynamo);
        }, Running.class);
    }

    public static URI endpoint() {
        if (redirected != null) {
            return redirected;
        }
        if (endpoint == null) {
            throw new IllegalStateException("annotate the test with @ExtendWith(DynamoDbLocalExtension.class)");
        }
        return endpoint;
    }

    public static Environment environment() {
        return new Environment(Map.of(
                "AWS_ENDPOINT_URL_DYNAMODB", endpoint().toString(),
                "AWS_REGION", "us-east-1",
                Environment.APPS_TABLE, "AppsTable",
                Environment.USERS_TABLE, "UsersTable",
                Environment.SESSIONS_TABLE, "SessionsTable",
                Environment.WEBHOOKS_TABLE, "WebhooksTable"));
    }

    public static DynamoDbClient client(List<ExecutionInterceptor> interceptors) {
        return AwsClients.dynamo(environment(), interceptors);
    }

    public static Tables tables() {
        return environment().tables();
    }

    /** Wiring on tables of their own (created now), for tests that sweep whole tables or indexes. */
    public static Wiring isolatedWiring(Clock clock, ExecutionInterceptor... interceptors) {
        String prefix = "t" + java.util.UUID.randomUUID().toString().substring(0, 8) + "_";
        TemplateTables.create(client(List.of()), SamTemplate.locate(), prefix);
        Tables shared = tables();
        return Wiring.of(client(List.of(interceptors)), new Tables(prefix + shared.apps(), prefix + shared.users(), prefix + shared.sessions(),
                        prefix + shared.webhooks()),
                clock, Duration.ofSeconds(60));
    }

    /** Handler wiring against DynamoDB Local with the given clock and interceptors. */
    public static Wiring wiring(Clock clock, ExecutionInterceptor... interceptors) {
        return Wiring.of(client(List.of(interceptors)), tables(), clock, Duration.ofSeconds(60));
    }
}
