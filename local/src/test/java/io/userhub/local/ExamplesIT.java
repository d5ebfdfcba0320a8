package io.userhub.local;

import io.userhub.devkit.SamTemplate;
import io.userhub.shared.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.tools.ToolProvider;
import java.net.URI;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The examples/ do what they say: each backend signer's token logs a user in on the local server
 * (Java with java-jwt always; Node with jose and Python with PyJWT where installed), and the
 * EventBridge consumer handles userhub's notices once each.
 */
class ExamplesIT {
    private static final Path ROOT = SamTemplate.locatePath().getParent();
    private static LocalUserhub userhub;

    @BeforeAll
    static void start() throws Exception {
        userhub = LocalUserhub.start(new LocalUserhub.Options(0, null, SamTemplate.locatePath(), Map.of()), line -> { });
    }

    @AfterAll
    static void stop() {
        userhub.close();
    }

    @Test
    void theJavaSignersTokenLogsIn() throws Exception {
        Path out = ROOT.resolve("local/target/examples");
        Files.createDirectories(out);
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", out.toString(),
                "-cp", System.getProperty("java.class.path"), ROOT.resolve("examples/java/SignIdentityToken.java").toString());
        assertThat(compiled).isZero();
        try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {out.toUri().toURL()}, getClass().getClassLoader())) {
            String token = (String) loader.loadClass("SignIdentityToken").getMethod("sign", String.class, String.class, String.class, String.class)
                    .invoke(null, userhub.demo().kid(), userhub.demo().secret(), "java-example-user", "java@example.com");
            assertLogsIn(token, "java@example.com");
        }
    }

    @Test
    void theNodeSignersTokenLogsIn() throws Exception {
        assumeTrue(Tools.onPath("node") && Files.isDirectory(ROOT.resolve("examples/node/node_modules/jose")),
                "node or examples/node/node_modules (npm ci) missing: the Node signer is not run");
        String token = Tools.run(ROOT.resolve("examples/node"), "node", "sign-identity-token.mjs",
                userhub.demo().kid(), userhub.demo().secret(), "node-example-user", "node@example.com").succeeded().trim();
        assertLogsIn(token, "node@example.com");
    }

    @Test
    void thePythonSignersTokenLogsIn() throws Exception {
        assumeTrue(Tools.onPath("python3"), "python3 missing: the Python signer is not run");
        Process probe = new ProcessBuilder("python3", "-c", "import jwt").start();
        assumeTrue(probe.waitFor() == 0, "PyJWT is not installed (pip install PyJWT): the Python signer is not run");
        String token = Tools.run(ROOT.resolve("examples/python"), "python3", "sign_identity_token.py",
                userhub.demo().kid(), userhub.demo().secret(), "python-example-user", "python@example.com").succeeded().trim();
        assertLogsIn(token, "python@example.com");
    }

    @Test
    void theEventBridgeConsumerHandlesEachNoticeOnce() throws Exception {
        assumeTrue(Tools.onPath("node"), "node missing: the consumer example is not run");
        String output = Tools.run(ROOT.resolve("examples/eventbridge"), "node", "--test", ".").succeeded();
        assertThat(output).contains("# fail 0").contains("# pass 2");
        // The consumer reads the detail fields userhub publishes.
        String detail = new io.userhub.shared.notice.Notice(
                io.userhub.shared.notice.NoticeKind.REFRESH, "demo", "demo-domain", "user-1", "session-1", "device-1",
                java.time.Instant.parse("2026-11-25T00:00:00Z")).detail();
        String consumed = Tools.run(ROOT.resolve("examples/eventbridge"), "node", "--input-type=module", "-e",
                "import { handler } from './consumer.mjs'; console.log(JSON.stringify(await handler({'detail-type': 'refreshUserCredentials', detail: "
                        + detail + "})));").succeeded();
        assertThat(consumed).contains("\"handled\":true").contains("\"user_id\":\"user-1\"");
    }

    private static void assertLogsIn(String token, String email) throws Exception {
        HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(userhub.url().toString().replaceAll("/$", "") + "/v1/apps/demo/login"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"identity_token\":\"" + token + "\",\"device_id\":\"examples\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        assertThat(Json.parseObject(login.body()).orElseThrow().at("/user/identities").toString()).contains(email);
    }
}
