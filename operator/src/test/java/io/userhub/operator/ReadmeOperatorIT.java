package io.userhub.operator;

import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.devkit.SamTemplate;
import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.json.Json;
import io.userhub.testkit.DynamoDbLocalExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's operator commands, run as written with the packaged jar (the way a newcomer runs
 * them) against DynamoDB Local; its placeholders ({@code k-…}, {@code backend.pem}, the API key
 * id) take the values the earlier commands printed. The build line is checked, not run: this test
 * runs after Maven packaged the jar it names.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class ReadmeOperatorIT {
    private static final Path ROOT = SamTemplate.locatePath().getParent();

    record Ran(int exit, String out, String err) {}

    @Test
    void theReadmesOperatorCommandsRunAsWritten(@TempDir Path dir) throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int section = readme.indexOf("## Operator tool: apps, keys, API keys, settings");
        int start = readme.indexOf("```sh\n", section) + "```sh\n".length();
        List<String> lines = readme.substring(start, readme.indexOf("```", start)).lines().filter(l -> !l.isBlank()).toList();

        String build = lines.get(0);
        assertThat(build).startsWith("mvn ").contains("-pl operator -am package").doesNotContain("install ");
        assertThat(ROOT.resolve("operator/target/userhub-operator.jar")).exists();

        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        Path pem = dir.resolve("backend.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(generator.generateKeyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");

        String suffix = Hashing.randomId().substring(0, 8);
        String firstKid = null;
        String addedKid = null;
        String apiKeyId = null;
        List<String> ran = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String command = line.replaceAll("\\s+#.*$", "").trim();
            assertThat(command).startsWith("java -jar operator/target/userhub-operator.jar");
            command = command.replace("acme-ios", "acme-ios-" + suffix).replace("--domain acme ", "--domain acme-" + suffix + " ")
                    .replaceAll("--domain acme$", "--domain acme-" + suffix)
                    .replace("backend.pem", pem.toString())
                    .replace("--api-key-id 1a2b3c4d5e6f", "--api-key-id " + apiKeyId);
            if (command.contains("retire-key")) {
                command = command.replace("k-…", firstKid);
            } else if (command.contains("k-…")) {
                command = command.replace("k-…", addedKid);
            }
            Ran result = run(command);
            assertThat(result.exit()).as(command + "\n" + result.err() + result.out()).isZero();
            assertThat(result.err()).as(command).isEmpty();
            ran.add(command.substring("java -jar operator/target/userhub-operator.jar ".length()).split(" ")[0]);
            JsonNode first = result.out().startsWith("{") ? Json.parseObject(result.out().lines().findFirst().orElseThrow()).orElseThrow() : null;
            if (command.contains(" create-app ")) {
                firstKid = first.get("kid").asText();
                assertThat(first.get("secret").asText()).hasSizeGreaterThanOrEqualTo(43);
            } else if (command.contains(" add-key ") && addedKid == null) {
                addedKid = first.get("kid").asText();
            } else if (command.contains(" create-api-key ")) {
                apiKeyId = first.get("api_key_id").asText();
            } else if (command.contains(" show-app ")) {
                assertThat(first.at("/settings/anonymous_policy").asText()).isEqualTo("merge");
                assertThat(result.out()).contains(firstKid).contains("retired");
            } else if (command.contains(" --help")) {
                assertThat(result.out()).contains("Usage: userhub-operator").contains("Exit codes:");
            } else if (command.contains(" create-webhook ")) {
                assertThat(first.get("secret").asText()).startsWith("whsec_");
            } else if (command.contains(" list-webhooks ")) {
                assertThat(result.out()).contains("\"event_types\":[\"user.created\",\"user.merged\"]").doesNotContain("whsec_");
            } else if (command.contains(" audit ")) {
                assertThat(result.out()).contains("\"kind\":\"key_changed\"").contains("\"kind\":\"settings_changed\"");
            }
        }
        assertThat(ran).contains("--help", "create-domain", "create-app", "add-key", "retire-key", "set-jwks", "schedule-key",
                "create-api-key", "revoke-api-key", "set-settings", "list-apps", "show-app", "audit", "create-webhook", "list-webhooks");
    }

    private static Ran run(String commandLine) throws Exception {
        List<String> words = new ArrayList<>(List.of(commandLine.split(" ")));
        words.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder builder = new ProcessBuilder(words).directory(ROOT.toFile());
        builder.environment().putAll(Map.of("AWS_ENDPOINT_URL", DynamoDbLocalExtension.endpoint().toString(), "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local", "APPS_TABLE", "AppsTable"));
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Ran(process.exitValue(), out, err);
    }
}
