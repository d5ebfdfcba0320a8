package io.userhub.local;

import io.userhub.devkit.SamTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The support console as the local server serves it (the template's ConsoleFunction route): its
 * files with a Content-Security-Policy that keeps it to its own origin, nothing from a third-party
 * host, and the whole page in headless Chromium (clients/web/e2e/console.mjs: each screen and
 * action, one keyboard-only flow, axe-core on every screen, screenshots in local/target/console/).
 */
class ConsoleIT {
    private static final Path ROOT = SamTemplate.locatePath().getParent();
    private static final Path WEB = ROOT.resolve("clients/web");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalUserhub userhub;

    @BeforeAll
    static void start() throws Exception {
        userhub = LocalUserhub.start(new LocalUserhub.Options(0, null, SamTemplate.locatePath(), Map.of(), 1), line -> { });
    }

    @AfterAll
    static void stop() {
        userhub.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(userhub.url().toString().replaceAll("/$", "") + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theConsoleIsServedOnTheApisOriginWithAPolicyThatKeepsItThere() throws Exception {
        HttpResponse<String> page = get("/console");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).get().asString().startsWith("text/html");
        String policy = page.headers().firstValue("content-security-policy").orElseThrow();
        assertThat(policy).contains("default-src 'none'").contains("script-src 'self'").contains("connect-src 'self'")
                .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline").doesNotContain("http");
        assertThat(page.headers().firstValue("x-frame-options")).contains("DENY");
        for (String file : new String[]{"/console", "/console/console.js", "/console/console.css"}) {
            HttpResponse<String> answer = get(file);
            assertThat(answer.statusCode()).as(file).isEqualTo(200);
            assertThat(answer.body()).as(file + " loads nothing from another host").doesNotContainPattern("https?://");
        }
        assertThat(get("/console/console.js").headers().firstValue("content-type")).get().asString().startsWith("text/javascript");
        HttpResponse<String> other = get("/console/secrets.txt");
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(other.body()).contains("ROUTE_NOT_FOUND");
    }

    @Test
    void everyScreenAndActionWorksInChromiumAndPassesAxe() throws Exception {
        assumeTrue(Tools.onPath("node"), "node is not installed: the console's browser test is skipped");
        assumeTrue(Files.isExecutable(Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"))),
                "Debian's chromium is not installed (apt-get install -y chromium): the console's browser test is skipped");
        assumeTrue(Files.isDirectory(WEB.resolve("node_modules/@axe-core/playwright")),
                "clients/web/node_modules is missing (cd clients/web && npm ci): the console's browser test is skipped");
        Path shots = ROOT.resolve("local/target/console");
        Tools.Result result = Tools.run(WEB, "node", "e2e/console.mjs", userhub.url().toString().replaceAll("/$", ""),
                userhub.demo().apiKey(), shots.toString());
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("\"ok\":true").contains("keyboard only").contains("unmerge").contains("erase");
        for (String screen : new String[]{"sign-in", "refusal", "find", "person", "unmerge-dialog", "erase-dialog", "keyboard"}) {
            assertThat(Files.size(shots.resolve("console-" + screen + ".png"))).as(screen).isGreaterThan(1000);
        }
    }
}
