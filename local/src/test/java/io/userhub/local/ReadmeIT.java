package io.userhub.local;

import io.userhub.devkit.SamTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's curl walk-through and server-to-server examples, run as written (bash, curl,
 * python3) against a local server, so that the README cannot drift from the code.
 */
class ReadmeIT {
    private static final Path README = SamTemplate.locatePath().getParent().resolve("README.md");
    private static LocalUserhub userhub;

    @BeforeAll
    static void start() throws Exception {
        for (String tool : List.of("bash", "curl", "python3")) {
            assumeTrue(Tools.onPath(tool), tool + " is not installed: the README's shell examples cannot run here");
        }
        userhub = LocalUserhub.start(new LocalUserhub.Options(0, null, SamTemplate.locatePath(), Map.of()), line -> { });
    }

    @AfterAll
    static void stop() {
        if (userhub != null) {
            userhub.close();
        }
    }

    @Test
    void theCurlWalkThroughRunsAsWrittenAndAnswersWhatItSays() throws Exception {
        String block = shellBlockAfter("## Walk-through with curl");
        String output = run(block);

        long printingCurls = block.lines().filter(l -> l.startsWith("curl ")).count();
        List<String> lines = output.lines().toList();
        assertThat(lines).as(output).hasSize((int) printingCurls);
        assertThat(lines).allSatisfy(line -> assertThat(line).startsWith("{"));
        assertThat(lines.get(0)).contains("\"session_token\"").contains("\"anonymous\":false");
        assertThat(lines.get(1)).contains("\"anonymous\":true");
        assertThat(output).contains("\"unverified_uid\"")
                .contains("\"invalidAppAttributes\":[\"favourite_color\"]")
                .contains("{\"error\":\"SESSION_FAILED\",\"reason\":\"SESSION_INVALID\",\"details\":{\"problem\":\"LOGGED_OUT\"}")
                .contains("{\"error\":\"LOGIN_FAILED\",\"reason\":\"IDENTITY_TOKEN_INVALID\",\"details\":{\"cause\":\"MALFORMED\"}");
        // The attribute batch's documented answer is what came back.
        assertThat(output).contains("\"rejected\":[{\"type\":\"app\",\"key\":\"favourite_color\",\"code\":\"UNSUPPORTED_KEY\"}]");
    }

    @Test
    void theWebhookExamplesRunAsWritten() throws Exception {
        String output = run(shellBlockAfter("## Webhooks"));
        List<String> lines = output.lines().filter(l -> l.startsWith("{")).toList();
        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).contains("\"id\":\"ep_").contains("\"secret\":\"whsec_");
        assertThat(lines.get(1)).contains("\\\"type\\\":\\\"user.created\\\"").contains("\\\"type\\\":\\\"sessions.ended\\\"")
                .contains("\"webhook_signature\":\"v1,");
        // The signature check of the Python example: both of this endpoint's deliveries verify with its secret.
        assertThat(output).containsPattern("(?m)^user\\.created msg_[0-9a-f]{32} signed by this secret$")
                .containsPattern("(?m)^sessions\\.ended msg_[0-9a-f]{32} signed by this secret$");
        assertThat(lines.get(2)).contains("\"status\":\"delivered\"").contains("\"event_type\":\"user.created\"")
                .contains("\"event_type\":\"sessions.ended\"");
        assertThat(lines.get(3)).contains("\"secret\":\"whsec_").contains("\"previous_secret_retires_at\"");
        assertThat(lines.get(4)).contains("\"queued\":2");
        assertThat(lines.get(5)).contains("\"deleted\":true");
    }

    @Test
    void theServerToServerExamplesRunAsWritten() throws Exception {
        run(shellBlockAfter("## Walk-through with curl"));
        String lookup = run(firstLineStarting(shellBlockAfter("## Server-to-server routes"), "curl -s -w '\\n' \"$URL/v1/apps/demo/users"));
        Matcher id = Pattern.compile("\"id\":\"([a-f0-9]{32})\"").matcher(lookup);
        assertThat(id.find()).as(lookup).isTrue();
        // The dry run's sample is asserted now; a claim asserted in the same second is not older, so it
        // would not move: a reader's pace between the two blocks, kept here, makes the sample newer.
        Thread.sleep(1_100);
        String output = run(shellBlockAfter("## Server-to-server routes").replace("<user id>", id.group(1)));
        List<String> lines = output.lines().toList();
        assertThat(lines).as(output).hasSize(8);
        assertThat(lines.get(0)).contains("\"ada@example.com\"");
        assertThat(lines.get(1)).contains("\"exported_at\"").contains("\"ada@example.com\"").contains("\"audit\":[{");
        // The walk-through's logins, the malformed token's refusal among them, and none of their identity values.
        assertThat(lines.get(2)).contains("\"kind\":\"login\"").contains("\"outcome\":\"refused\"").doesNotContain("ada@example.com");
        assertThat(lines.get(3)).contains("\"user_id\":\"" + id.group(1) + "\"").contains("\"next_cursor\":null");
        // Today the email would move to user-99; sticky, it would stay: the dry run says so and writes nothing.
        assertThat(lines.get(4)).contains("\"changed\":true").contains("\"from_user_id\":\"" + id.group(1) + "\"")
                .contains("\"owner_user_id\":\"" + id.group(1) + "\"");
        assertThat(lines.get(5)).contains("\"sessions_ended\"");
        assertThat(lines.get(6)).contains("\"created\":1");
        assertThat(lines.get(7)).contains("\"erased\":true");
    }

    @Test
    void theReadyLineSampleHasTheFieldsTheServerPrintsInTheirOrder() throws Exception {
        String readme = Files.readString(README);
        int start = readme.indexOf("```json\n{\"url\"") + "```json\n".length();
        com.fasterxml.jackson.databind.JsonNode sample = io.userhub.shared.json.Json.MAPPER.readTree(readme.substring(start, readme.indexOf("\n", start)));
        List<String> documented = new java.util.ArrayList<>();
        sample.fieldNames().forEachRemaining(documented::add);
        assertThat(documented).containsExactlyElementsOf(LocalServerMain.readyLine(userhub, null).keySet());
    }

    private static String shellBlockAfter(String heading) throws IOException {
        String readme = Files.readString(README);
        int section = readme.indexOf(heading);
        int start = readme.indexOf("```sh\n", section) + "```sh\n".length();
        return readme.substring(start, readme.indexOf("```", start));
    }

    private static String firstLineStarting(String block, String prefix) {
        return block.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
    }

    private static String run(String script) throws Exception {
        String prepared = script
                .replaceAll("(?m)^URL=.*$", "URL=" + userhub.url().toString().replaceAll("/$", ""))
                .replaceAll("(?m)^API_KEY=.*$", "API_KEY=" + userhub.demo().apiKey());
        if (!prepared.contains("URL=")) {
            prepared = "URL=" + userhub.url().toString().replaceAll("/$", "") + "\nAPI_KEY=" + userhub.demo().apiKey() + "\n" + prepared;
        }
        // From the checkout's root, where a reader runs the README's commands (the webhooks block runs an example script).
        Process bash = new ProcessBuilder("bash", "-euo", "pipefail", "-c", prepared)
                .directory(io.userhub.devkit.SamTemplate.locatePath().getParent().toFile()).redirectErrorStream(false).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(bash.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as(err + out).isZero();
        return out;
    }
}
