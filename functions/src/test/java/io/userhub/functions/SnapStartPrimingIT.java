package io.userhub.functions;

import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.devkit.SamTemplate;
import io.userhub.functions.login.LoginHandler;
import io.userhub.functions.support.PrimedFirstLogin;
import io.userhub.shared.config.SnapStartPriming;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.http.Json;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.SigningKey;
import io.userhub.shared.store.AppStore;
import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.testkit.MutableClock;
import io.userhub.testkit.RoundTripRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
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
 * The SnapStart priming runs the login's real path (a new user, a returning user, an anonymous
 * login through handleRequest) against the in-process stand-in, never the function's tables, and
 * leaves a restored function with (almost) nothing left to load for its first real login.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class SnapStartPrimingIT {
    private static final Path ROOT = SamTemplate.locatePath().getParent();

    @Test
    void primingRunsThreeLoginsThroughTheHandlerAndTouchesNothingButOneReadOfTheRealTables() {
        RoundTripRecorder recorder = new RoundTripRecorder();
        Wiring wiring = DynamoDbLocalExtension.isolatedWiring(MutableClock.atTestStart(), recorder);
        SnapStartPriming.exercise(LoginHandler.PRIMING);

        SnapStartPriming.Report report = SnapStartPriming.prime(wiring);

        assertThat(report.statuses()).containsExactly(200, 200, 200);
        // new user: BatchGetItem, GetItem (app), TransactWriteItems; returning: BatchGetItem, GetItem, TransactWriteItems; anonymous: ...
        assertThat(report.standInCalls()).isGreaterThanOrEqualTo(6);
        assertThat(recorder.operations()).containsExactly("GetItem");
        for (String table : List.of(wiring.tables().users(), wiring.tables().sessions(), wiring.tables().apps())) {
            assertThat(wiring.dynamo().scan(ScanRequest.builder().tableName(table).build()).count()).as(table).isZero();
        }
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
