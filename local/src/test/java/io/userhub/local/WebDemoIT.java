package io.userhub.local;

import io.userhub.devkit.SamTemplate;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.LoginMode;
import io.userhub.shared.store.AppStore;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web client and demo page: the client's unit tests in Node, and the demo page at /demo end
 * to end in headless Chromium (sign in, profile, one batched attribute request, both notices
 * with short session times, log out), keeping a screenshot in local/target/demo.png. Skipped
 * with a message where Node, Debian's chromium or clients/web/node_modules are absent
 * (.ci/run installs them).
 */
class WebDemoIT {
    private static final Path ROOT = SamTemplate.locatePath().getParent();
    private static final Path WEB = ROOT.resolve("clients/web");

    @Test
    void theWebClientsOwnTestsPass() throws Exception {
        assumeTrue(Tools.onPath("node"), "node is not installed: clients/web tests skipped");
        Tools.Result result = Tools.run(WEB, "node", "--test", "test/");
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("# fail 0");
    }

    @Test
    void thePackagesTypesCompile() throws Exception {
        assumeTrue(Tools.onPath("node"), "node is not installed: the type check is skipped");
        assumeTrue(Files.isDirectory(WEB.resolve("node_modules/typescript")),
                "clients/web/node_modules is missing (cd clients/web && npm ci): the type check is skipped");
        Tools.Result result = Tools.run(WEB, "node", "node_modules/typescript/bin/tsc", "--noEmit", "-p", "tsconfig.json");
        assertThat(result.exit()).as(result.output()).isZero();
    }

    @Test
    void theDemoPageSignsInSendsAttributesShowsNoticesAndLogsOutInChromium() throws Exception {
        assumeTrue(Tools.onPath("node"), "node is not installed: the browser test is skipped");
        assumeTrue(Files.isExecutable(Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"))),
                "Debian's chromium is not installed (apt-get install -y chromium): the browser test is skipped");
        assumeTrue(Files.isDirectory(WEB.resolve("node_modules/playwright-core")),
                "clients/web/node_modules is missing (cd clients/web && npm ci): the browser test is skipped");
        try (LocalUserhub userhub = LocalUserhub.start(new LocalUserhub.Options(0, null, SamTemplate.locatePath(), Map.of(), 1), line -> { })) {
            AppStore apps = new AppStore(userhub.wiring().dynamo(), userhub.wiring().tables().apps());
            apps.putSettings("demo", AppSettings.defaults().withLoginModes(EnumSet.allOf(LoginMode.class))
                    .withSessionTimes(Duration.ofSeconds(8), Duration.ofSeconds(4)));
            userhub.wiring().apps().invalidate("demo");
            String url = userhub.url().toString().replaceAll("/$", "") + "/demo#api_key=" + userhub.demo().apiKey();
            Path screenshot = ROOT.resolve("local/target/demo.png");
            Tools.Result result = Tools.run(WEB, "node", "e2e/demo.mjs", url, screenshot.toString());
            assertThat(result.exit()).as(result.output()).isZero();
            assertThat(result.output()).contains("\"ok\":true").contains("userSessionExpired shown").contains("logged out");
            assertThat(Files.size(screenshot)).isGreaterThan(1000);
        }
    }

    @Test
    void theSdkPersistsKeepsTheAnonymousUserOnRequestAndRejectsWithReasonsInChromium() throws Exception {
        assumeTrue(Tools.onPath("node"), "node is not installed: the browser test is skipped");
        assumeTrue(Files.isExecutable(Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"))),
                "Debian's chromium is not installed (apt-get install -y chromium): the browser test is skipped");
        assumeTrue(Files.isDirectory(WEB.resolve("node_modules/playwright-core")),
                "clients/web/node_modules is missing (cd clients/web && npm ci): the browser test is skipped");
        try (LocalUserhub userhub = LocalUserhub.start(new LocalUserhub.Options(0, null, SamTemplate.locatePath(), Map.of(), 1), line -> { })) {
            AppStore apps = new AppStore(userhub.wiring().dynamo(), userhub.wiring().tables().apps());
            apps.putSettings("demo", AppSettings.defaults().withLoginModes(EnumSet.allOf(LoginMode.class)));
            userhub.wiring().apps().invalidate("demo");
            Tools.Result result = Tools.run(WEB, "node", "e2e/sdk.mjs", userhub.url().toString().replaceAll("/$", ""),
                    userhub.demo().apiKey());
            assertThat(result.exit()).as(result.output()).isZero();
            assertThat(result.output()).contains("\"ok\":true").contains("clearAnonymousUserOnLogin").contains("token provider");
        }
    }
}
