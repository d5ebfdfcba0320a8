package io.userhub.functions;

import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.devkit.SamTemplate;
import io.userhub.functions.login.LoginHandler;
import io.userhub.functions.support.PrimedFirstLogin;
import io.userhub.shared.config.SnapStartPriming;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.json.Json;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.SigningKey;
import io.userhub.shared.store.AppStore;
import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.functions.support.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SnapStart priming runs the login's real path (a login on a new device, the returning login,
 * an anonymous login, through handleRequest) against the function's own tables, under the
 * priming app and its domain only, and leaves a restored function with (almost) nothing left to
 * load for its first real login.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class SnapStartPrimingIT {
    private static final Path ROOT = SamTemplate.locatePath().getParent();

    @Test
    void primingLogsInThreeTimesThroughTheHandlerAndWritesNothingOutsideThePrimingAppAndDomain() {
        Wiring wiring = DynamoDbLocalExtension.isolatedWiring(Clock.systemUTC());
        // A customer's app with a user, a device and a session, which the priming must leave as they are.
        Harness customer = Harness.through(clock -> wiring, settings -> settings);
        assertThat(customer.login("customer-phone", customer.identitiesToken("uid", "customer-1")).status()).isEqualTo(200);
        Map<String, List<Map<String, AttributeValue>>> before = everyItem(wiring);
        SnapStartPriming.exercise(LoginHandler.PRIMING);

        SnapStartPriming.Report first = SnapStartPriming.prime(wiring);
        SnapStartPriming.Report again = SnapStartPriming.prime(wiring);

        assertThat(first.statuses()).containsExactly(200, 200, 200);
        // The second priming (a later snapshot) finds the priming user and walks the same paths.
        assertThat(again.statuses()).containsExactly(200, 200, 200);
        Map<String, List<Map<String, AttributeValue>>> after = everyItem(wiring);
        for (String table : before.keySet()) {
            List<Map<String, AttributeValue>> added = new java.util.ArrayList<>(after.get(table));
            assertThat(added).as(table + ": the customer's items are unchanged").containsAll(before.get(table));
            added.removeAll(before.get(table));
            for (Map<String, AttributeValue> item : added) {
                assertThat(item.get("pk").s()).as(table + ": an item the priming wrote")
                        .containsAnyOf("#" + SnapStartPriming.PRIMING_APP_ID + "#", "#" + SnapStartPriming.PRIMING_DOMAIN_ID + "#");
            }
        }
        assertThat(after.get(wiring.tables().apps())).as("the priming app lives in memory only").isEqualTo(before.get(wiring.tables().apps()));
        assertThat(after.get(wiring.tables().users()).size()).isGreaterThan(before.get(wiring.tables().users()).size());
    }

    private static Map<String, List<Map<String, AttributeValue>>> everyItem(Wiring wiring) {
        Map<String, List<Map<String, AttributeValue>>> items = new java.util.LinkedHashMap<>();
        for (String table : List.of(wiring.tables().users(), wiring.tables().sessions(), wiring.tables().apps())) {
            items.put(table, wiring.dynamo().scan(ScanRequest.builder().tableName(table).consistentRead(true).build()).items());
        }
        return items;
    }

    @Test
    void aPrimedFunctionsFirstRealLoginLoadsAtMostFiftyNewClasses() throws Exception {
        Wiring wiring = DynamoDbLocalExtension.isolatedWiring(Clock.systemUTC());
        String secret = Hashing.randomToken();
        AppConfig app = new AppConfig("primed-" + Hashing.randomId().substring(0, 8), "primed-domain", true,
                List.of(new SigningKey("primed-key", "HS256", secret, SigningKey.Status.ACTIVE, 1)), List.of(), AppSettings.defaults());
        new AppStore(wiring.dynamo(), wiring.tables().apps()).create(app);
        Path jar;
        try (var jars = Files.list(ROOT.resolve("functions/target"))) {
            jar = jars.filter(p -> p.getFileName().toString().endsWith("-lambda.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("run mvn package first: no functions/target/*-lambda.jar"));
        }
        // The packaged jar and the probe's own class only: never the test classpath, whose
        // dependencies would hide classes missing from the artifact.
        Path probe = Files.createTempDirectory("primed-probe");
        String probePath = PrimedFirstLogin.class.getName().replace('.', '/') + ".class";
        Path probeClass = probe.resolve(probePath);
        Files.createDirectories(probeClass.getParent());
        try (var in = PrimedFirstLogin.class.getClassLoader().getResourceAsStream(probePath)) {
            Files.copy(in, probeClass);
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", jar.toAbsolutePath() + File.pathSeparator + probe, PrimedFirstLogin.class.getName(),
                app.appId(), "primed-key", secret);
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_ENDPOINT_URL_DYNAMODB", DynamoDbLocalExtension.endpoint().toString());
        env.put("APPS_TABLE", wiring.tables().apps());
        env.put("USERS_TABLE", wiring.tables().users());
        env.put("SESSIONS_TABLE", wiring.tables().sessions());
        env.put("WEBHOOKS_TABLE", wiring.tables().webhooks());
        Process process = builder.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String line = output.lines().filter(l -> l.contains("\"first_login_new_classes\"")).findFirst()
                .orElseThrow(() -> new AssertionError("the probe printed no report:\n" + output));
        System.out.println("snapstart priming: " + line);
        JsonNode report = Json.parseObject(line).orElseThrow();

        assertThat(report.path("status").asInt()).isEqualTo(200);
        assertThat(report.path("priming_statuses").toString()).isEqualTo("[200,200,200]");
        assertThat(report.path("first_login_new_classes").asLong()).isLessThanOrEqualTo(50);
    }
}
