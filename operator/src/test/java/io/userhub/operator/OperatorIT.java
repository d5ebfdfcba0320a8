package io.userhub.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.testkit.ApiEvents;
import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.testkit.MutableClock;
import io.userhub.functions.login.LoginHandler;
import io.userhub.functions.mint.MintHandler;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.json.Json;
import io.userhub.shared.crypto.Hashing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every operator command against DynamoDB Local, and key rotation end to end through mint and login. */
@ExtendWith(DynamoDbLocalExtension.class)
class OperatorIT {
    private final MutableClock clock = MutableClock.atTestStart();
    private final String domain = "dom-" + Hashing.randomId().substring(0, 8);
    private final String app = "app-" + Hashing.randomId().substring(0, 8);

    record Run(int exit, List<JsonNode> lines, String err) {
        JsonNode json() {
            return lines.get(0);
        }
    }

    private Run operator(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = OperatorMain.run(args, Map.of("AWS_ENDPOINT_URL", DynamoDbLocalExtension.endpoint().toString(),
                        "AWS_REGION", "us-east-1", "APPS_TABLE", "AppsTable"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), clock);
        List<JsonNode> lines = new ArrayList<>();
        Arrays.stream(out.toString(StandardCharsets.UTF_8).split("\n")).filter(l -> l.startsWith("{"))
                .forEach(l -> lines.add(Json.parseObject(l).orElseThrow()));
        return new Run(exit, lines, err.toString(StandardCharsets.UTF_8));
    }

    private Run createApp() {
        assertThat(operator("create-domain", "--domain", domain, "--name", "Acme").exit()).isZero();
        Run created = operator("create-app", "--domain", domain, "--app", app);
        assertThat(created.exit()).as(created.err()).isZero();
        return created;
    }

    @Test
    void createDomainAndAppShowTheSecretsOnceAndNeverAgain() {
        Run created = createApp();
        String secret = created.json().get("secret").asText();
        String apiKey = created.json().get("api_key").asText();
        assertThat(secret).hasSizeGreaterThanOrEqualTo(43);
        assertThat(apiKey).startsWith("uh_");

        Run shown = operator("show-app", "--app", app);
        assertThat(shown.json().get("domain_id").asText()).isEqualTo(domain);
        assertThat(shown.json().at("/keys/0/status").asText()).isEqualTo("active");
        assertThat(shown.lines().toString()).doesNotContain(secret).doesNotContain(apiKey).doesNotContain(Hashing.sha256Hex(apiKey));
        Run listed = operator("list-apps");
        assertThat(listed.lines()).anySatisfy(line -> assertThat(line.get("app_id").asText()).isEqualTo(app));
        assertThat(listed.lines().toString()).doesNotContain(secret);
    }

    @Test
    void webhookEndpointsAreManagedFromTheOperatorToolWithTheSecretShownOnce() {
        createApp();
        Run refused = operator("create-webhook", "--app", app, "--url", "https://169.254.169.254/latest/", "--event-types", "user.created");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("webhook url refused");
        Run created = operator("create-webhook", "--app", app, "--url", "http://127.0.0.1:9/hooks", "--event-types",
                "user.created, sessions.ended", "--description", "CRM");
        assertThat(created.exit()).as(created.err()).isZero();
        String id = created.json().path("id").asText();
        String secret = created.json().path("secret").asText();
        assertThat(secret).startsWith("whsec_");
        assertThat(created.json().path("event_types").toString()).isEqualTo("[\"sessions.ended\",\"user.created\"]");

        Run listed = operator("list-webhooks", "--app", app);
        assertThat(listed.lines()).singleElement().satisfies(line -> assertThat(line.path("id").asText()).isEqualTo(id));
        assertThat(listed.lines().toString()).doesNotContain(secret).doesNotContain("whsec_");
        Run disabled = operator("update-webhook", "--app", app, "--endpoint-id", id, "--enabled", "false");
        assertThat(disabled.json().path("enabled").asBoolean()).isFalse();
        Run rotated = operator("rotate-webhook-secret", "--app", app, "--endpoint-id", id, "--overlap-hours", "1");
        assertThat(rotated.json().path("secret").asText()).startsWith("whsec_").isNotEqualTo(secret);
        assertThat(operator("webhook-deliveries", "--app", app, "--endpoint-id", id).exit()).isZero();
        Run whileDisabled = operator("replay-webhooks", "--app", app, "--endpoint-id", id, "--since", clock.instant().minusSeconds(60).toString());
        assertThat(whileDisabled.exit()).isEqualTo(1);
        assertThat(whileDisabled.err()).contains("webhook endpoint disabled");
        assertThat(operator("update-webhook", "--app", app, "--endpoint-id", id, "--enabled", "true").json().path("enabled").asBoolean()).isTrue();
        Run noQueue = operator("replay-webhooks", "--app", app, "--endpoint-id", id, "--since", clock.instant().minusSeconds(60).toString());
        assertThat(noQueue.exit()).isEqualTo(1);
        assertThat(noQueue.err()).contains("--queue-url");
        assertThat(operator("delete-webhook", "--app", app, "--endpoint-id", id).json().path("deleted").asBoolean()).isTrue();
        assertThat(operator("delete-webhook", "--app", app, "--endpoint-id", id).err()).contains("webhook endpoint not found");
        assertThat(operator("list-webhooks", "--app", app).lines()).isEmpty();
    }

    @Test
    void refusalsSayWhatIsWrong() {
        Run noDomain = operator("create-app", "--domain", "no-such-domain-" + app, "--app", app);
        assertThat(noDomain.exit()).isEqualTo(1);
        assertThat(noDomain.err()).contains("does not exist");
        createApp();
        assertThat(operator("create-app", "--domain", domain, "--app", app).err()).contains("already exists");
        assertThat(operator("create-domain", "--domain", domain).err()).contains("already exists");
        Run reserved = operator("create-app", "--domain", domain, "--app", "userhub-snapstart-priming-" + app);
        assertThat(reserved.exit()).isEqualTo(1);
        assertThat(reserved.err()).contains("reserved for the SnapStart priming");
        assertThat(operator("show-app", "--app", "missing-" + app).exit()).isEqualTo(1);
        assertThat(operator("add-key", "--app", app, "--alg", "none").err()).contains("unsupported algorithm");
        assertThat(operator("set-settings", "--app", app, "--session-lifetime", "forever").err()).contains("positive duration");
        assertThat(operator("set-settings", "--app", app, "--anonymous-policy", "keep").err()).contains("discard");
        assertThat(operator("frobnicate").err()).contains("unknown command 'frobnicate'");
        assertThat(operator("create-app", "--domain", domain).err()).contains("Missing required option: '--app=APP'");
        assertThat(operator().exit()).isEqualTo(2);
    }

    @Test
    void usageErrorsExitTwoWithTheCommandsHelpAndChangeNothing() {
        createApp();
        Run verbose = operator("list-apps", "--verbose");
        assertThat(verbose.exit()).isEqualTo(2);
        assertThat(verbose.err()).contains("unknown option '--verbose'").contains("Usage: userhub-operator list-apps");
        assertThat(verbose.lines()).isEmpty();
        Run unknown = operator("frobnicate");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("Commands:").contains("set-settings");
        Run missing = operator("retire-key", "--app", app);
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("--kid").contains("Usage: userhub-operator retire-key");
        Run twice = operator("set-settings", "--app", app, "--updates-per-minute", "5", "--updates-per-minute", "7");
        assertThat(twice.exit()).isEqualTo(2);
        assertThat(operator("show-app", "--app", app).json().at("/settings/updates_per_minute").asInt())
                .as("a usage error changes nothing").isNotIn(5, 7);
        assertThat(operator("create-domain", "--domain", "d-" + app, "--sessions-table", "X").exit())
                .as("an option the command does not use is a usage error").isEqualTo(2);
        Run settings = operator("set-settings", "--app", app, "--updates-per-minute", "9", "--json");
        assertThat(settings.exit()).as(settings.err()).isZero();
        Run recorded = operator("audit", "--app", app, "--kind", "settings_changed");
        assertThat(recorded.lines().get(recorded.lines().size() - 1).at("/details/updates_per_minute").asText()).isEqualTo("9");
        assertThat(recorded.lines().get(recorded.lines().size() - 1).at("/details").has("json")).isFalse();
        Run empty = operator("show-app", "--app", "");
        assertThat(empty.exit()).isEqualTo(2);
        assertThat(empty.err()).contains("--app needs a value");
    }

    @Test
    void aQuotedCauseKeepsItsWordsAndLosesItsClassName() {
        assertThat(OperatorErrors.withoutClassNames("cannot read x: java.nio.file.NoSuchFileException: x"))
                .isEqualTo("cannot read x: x");
        assertThat(OperatorErrors.withoutClassNames("software.amazon.awssdk.core.exception.SdkClientException: Unable to load credentials"))
                .isEqualTo("Unable to load credentials");
        assertThat(OperatorErrors.withoutClassNames("the app acme does not exist")).isEqualTo("the app acme does not exist");
    }

    @Test
    void everyCommandAnswersHelpAndTheToolItsVersion() {
        for (OperatorCli.Command command : OperatorCli.COMMANDS) {
            Run help = operator(command.name(), "--help");
            assertThat(help.exit()).as(command.name()).isZero();
            assertThat(help.err()).as(command.name()).isEmpty();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = OperatorMain.run(new String[]{"show-app", "--help"}, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()), clock);
        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: userhub-operator show-app").contains("--app=APP");
        ByteArrayOutputStream version = new ByteArrayOutputStream();
        assertThat(OperatorMain.run(new String[]{"--version"}, Map.of(), new PrintStream(version, true, StandardCharsets.UTF_8),
                System.err, clock)).isZero();
        assertThat(version.toString(StandardCharsets.UTF_8)).matches("userhub-operator \\d+\\.\\d+\\.\\d+.*\\s*");
    }

    @Test
    void failuresAreOneReadableLineOrOneJsonLineWithNoSdkClassNames() {
        Map<String, String> noCredentials = Map.of("AWS_REGION", "us-east-1", "AWS_PROFILE", "userhub-no-such-profile",
                "AWS_SHARED_CREDENTIALS_FILE", "/nonexistent", "AWS_CONFIG_FILE", "/nonexistent");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = OperatorMain.run(new String[]{"list-apps"}, noCredentials, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), clock);
        String line = err.toString(StandardCharsets.UTF_8);
        if (System.getenv("AWS_ACCESS_KEY_ID") == null && System.getProperty("aws.accessKeyId") == null) {
            assertThat(exit).isEqualTo(3);
            assertThat(line).startsWith("error: no AWS credentials found").doesNotContain("Exception").hasLineCount(1);
        }

        Run unreachable = operator("list-apps", "--endpoint", "http://127.0.0.1:1", "--json");
        assertThat(unreachable.exit()).isEqualTo(3);
        JsonNode error = Json.parseObject(unreachable.err().trim()).orElseThrow().path("error");
        assertThat(error.path("kind").asText()).isEqualTo("aws");
        assertThat(error.path("exit_code").asInt()).isEqualTo(3);
        assertThat(error.path("message").asText()).startsWith("cannot reach DynamoDB at http://127.0.0.1:1").doesNotContain("Exception");

        Run noTable = operator("list-apps", "--apps-table", "NoSuchTable-" + app);
        assertThat(noTable.exit()).isEqualTo(3);
        assertThat(noTable.err()).startsWith("error: a table was not found").doesNotContain("Exception").hasLineCount(1);

        Run refused = operator("show-app", "--app", "missing-" + app, "--json");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(Json.parseObject(refused.err().trim()).orElseThrow().at("/error/kind").asText()).isEqualTo("refused");
    }

    @Test
    void settingsChangeOnlyWhatIsGiven() {
        createApp();
        Run set = operator("set-settings", "--app", app, "--session-lifetime", "2h", "--refresh-notice", "10m",
                "--anonymous-policy", "merge", "--login-modes", "identities_jwt,user_id", "--custom-field", "plan=dropdown",
                "--custom-field", "notes=multi-line", "--updates-per-minute", "30", "--identity-enabled", "false");
        assertThat(set.exit()).as(set.err()).isZero();
        JsonNode settings = set.json().get("settings");
        assertThat(settings.get("session_lifetime").asText()).isEqualTo("PT2H");
        assertThat(settings.get("refresh_notice").asText()).isEqualTo("PT10M");
        assertThat(settings.get("token_max_age").asText()).isEqualTo("PT24H");
        assertThat(settings.get("anonymous_policy").asText()).isEqualTo("merge");
        assertThat(settings.get("login_modes").toString()).isEqualTo("[\"identities_jwt\",\"user_id\"]");
        assertThat(settings.at("/custom_fields/plan").asText()).isEqualTo("dropdown");
        assertThat(settings.get("updates_per_minute").asInt()).isEqualTo(30);
        assertThat(set.json().get("identity_enabled").asBoolean()).isFalse();
        assertThat(operator("set-settings", "--app", app, "--refresh-notice", "3h").err()).contains("shorter than session-lifetime");
    }

    @Test
    void keyRotationWorksWithoutDowntime() {
        Run created = createApp();
        String firstKid = created.json().get("kid").asText();
        String apiKey = created.json().get("api_key").asText();

        String oldToken = mint(apiKey).get("token").asText();
        clock.advance(Duration.ofSeconds(1));
        Run added = operator("add-key", "--app", app);
        String newKid = added.json().get("kid").asText();
        clock.advance(Duration.ofSeconds(61));
        JsonNode minted = mint(apiKey);
        assertThat(minted.get("kid").asText()).isEqualTo(newKid);
        String newToken = minted.get("token").asText();
        assertThat(login(oldToken).status()).as("old kid still works").isEqualTo(200);
        assertThat(login(newToken).status()).isEqualTo(200);

        assertThat(operator("retire-key", "--app", app, "--kid", firstKid).exit()).isZero();
        clock.advance(Duration.ofSeconds(61));
        var retired = login(oldToken);
        assertThat(retired.status()).isEqualTo(401);
        assertThat(retired.body().at("/reason").asText()).isEqualTo("IDENTITY_TOKEN_INVALID");
        assertThat(retired.body().at("/details/cause").asText()).isEqualTo("UNKNOWN_KEY");
        assertThat(login(newToken).status()).as("the new key's tokens keep working").isEqualTo(200);

        Run lastKey = operator("retire-key", "--app", app, "--kid", newKid);
        assertThat(lastKey.exit()).isEqualTo(1);
        assertThat(lastKey.err()).contains("last active key");
        assertThat(operator("retire-key", "--app", app, "--kid", newKid, "--force").exit()).isZero();
    }

    @Test
    void anEs256PublicKeyLetsTheBackendSignWithItsOwnPrivateKey(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        createApp();
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.KeyPair pair = generator.generateKeyPair();
        java.nio.file.Path pem = dir.resolve("backend.pem");
        java.nio.file.Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        Run added = operator("add-key", "--app", app, "--alg", "ES256", "--public-key-file", pem.toString());
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(added.json().has("secret")).isFalse();

        String input = b64("{\"alg\":\"ES256\",\"kid\":\"" + added.json().get("kid").asText() + "\"}") + "."
                + b64("{\"identities\":[{\"identifier\":\"uid\",\"value\":\"es-user\"}],\"iat\":" + clock.instant().getEpochSecond() + "}");
        java.security.Signature signer = java.security.Signature.getInstance("SHA256withECDSAinP1363Format");
        signer.initSign(pair.getPrivate());
        signer.update(input.getBytes(StandardCharsets.US_ASCII));
        String token = input + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
        assertThat(login(token).status()).isEqualTo(200);
        assertThat(operator("add-key", "--app", app, "--alg", "RS256", "--public-key-file", pem.toString()).err()).contains("not a PEM RSA");
    }

    @Test
    void weakRsaKeysAndEcKeysOffP256AreRefused(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        createApp();
        java.security.KeyPairGenerator rsa = java.security.KeyPairGenerator.getInstance("RSA");
        rsa.initialize(512);
        java.security.KeyPairGenerator ec = java.security.KeyPairGenerator.getInstance("EC");
        ec.initialize(new java.security.spec.ECGenParameterSpec("secp521r1"));
        java.nio.file.Path weakRsa = pemFile(dir.resolve("rsa512.pem"), rsa.generateKeyPair().getPublic());
        java.nio.file.Path p521 = pemFile(dir.resolve("p521.pem"), ec.generateKeyPair().getPublic());

        Run rsaRun = operator("add-key", "--app", app, "--alg", "RS256", "--public-key-file", weakRsa.toString());
        assertThat(rsaRun.exit()).isNotZero();
        assertThat(rsaRun.err()).contains("at least 2048");
        Run ecRun = operator("add-key", "--app", app, "--alg", "ES256", "--public-key-file", p521.toString());
        assertThat(ecRun.exit()).isNotZero();
        assertThat(ecRun.err()).contains("P-256");
        assertThat(operator("show-app", "--app", app).json().get("keys")).hasSize(1);
    }

    @Test
    void unsignedUserIdModeWarnsUntilHmacVerificationIsOn() {
        createApp();
        Run unsigned = operator("set-settings", "--app", app, "--login-modes", "identities_jwt,user_id");
        assertThat(unsigned.json().at("/warnings/0").asText()).contains("--user-id-verification hmac");
        Run verified = operator("set-settings", "--app", app, "--user-id-verification", "hmac");
        assertThat(verified.json().at("/settings/user_id_verification").asText()).isEqualTo("hmac");
        assertThat(verified.json().has("warnings")).isFalse();
    }

    private static java.nio.file.Path pemFile(java.nio.file.Path path, java.security.PublicKey key) throws java.io.IOException {
        return java.nio.file.Files.writeString(path, "-----BEGIN PUBLIC KEY-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n");
    }

    private static String b64(String json) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRevokedApiKeyNoLongerAuthenticates() {
        Run created = createApp();
        String firstKey = created.json().get("api_key").asText();
        Run second = operator("create-api-key", "--app", app);
        String secondKey = second.json().get("api_key").asText();
        assertThat(mintStatus(secondKey)).isEqualTo(200);
        assertThat(operator("revoke-api-key", "--app", app, "--api-key-id", created.json().get("api_key_id").asText()).exit()).isZero();
        clock.advance(Duration.ofSeconds(61));
        assertThat(mintStatus(firstKey)).isEqualTo(401);
        assertThat(mintStatus(secondKey)).isEqualTo(200);
        assertThat(operator("revoke-api-key", "--app", app, "--api-key-id", "nope").err()).contains("no API key");
    }

    @Test
    void aRotationPlannedAheadSwitchesKeysAtTheTimeItNames() {
        Run created = createApp();
        String firstKid = created.json().get("kid").asText();
        String apiKey = created.json().get("api_key").asText();
        String oldToken = mint(apiKey).get("token").asText();
        String switchAt = clock.instant().plus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();

        clock.advance(Duration.ofSeconds(1));
        String newKid = operator("add-key", "--app", app).json().get("kid").asText();
        assertThat(operator("schedule-key", "--app", app, "--kid", newKid, "--not-before", switchAt).exit()).isZero();
        assertThat(operator("schedule-key", "--app", app, "--kid", firstKid, "--retire-at", switchAt).exit()).isZero();
        Run shown = operator("show-app", "--app", app);
        assertThat(shown.json().at("/keys").toString()).contains("\"not_before\":\"" + switchAt + "\"").contains("\"retire_at\":\"" + switchAt + "\"");

        clock.advance(Duration.ofSeconds(61));
        assertThat(mint(apiKey).get("kid").asText()).as("before the switch: the old key signs").isEqualTo(firstKid);
        assertThat(login(oldToken).status()).isEqualTo(200);

        clock.set(java.time.Instant.parse(switchAt));
        assertThat(mint(apiKey).get("kid").asText()).as("from the switch: the new key signs").isEqualTo(newKid);
        var retired = login(oldToken);
        assertThat(retired.status()).isEqualTo(401);
        assertThat(retired.body().at("/details/cause").asText()).isEqualTo("UNKNOWN_KEY");

        assertThat(operator("schedule-key", "--app", app, "--kid", newKid, "--not-before", "tomorrow").err()).contains("ISO-8601");
        assertThat(operator("schedule-key", "--app", app, "--kid", "k-nope", "--retire-at", switchAt).err()).contains("no key");
    }

    @Test
    void showAppTellsEachKeysLastDayOfUse() throws Exception {
        Run created = createApp();
        String kid = created.json().get("kid").asText();
        assertThat(operator("show-app", "--app", app).json().at("/keys/0/last_used").isNull()).as("never used yet").isTrue();

        assertThat(login(mint(created.json().get("api_key").asText()).get("token").asText()).status()).isEqualTo(200);
        String today = java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).toString();
        JsonNode key = null;
        for (int wait = 0; wait < 50; wait++) {
            key = operator("show-app", "--app", app).json().at("/keys/0");
            if (today.equals(key.path("last_used").asText())) {
                break;
            }
            Thread.sleep(100); // the function writes the day off the request's path
        }
        assertThat(key.path("kid").asText()).isEqualTo(kid);
        assertThat(key.path("last_used").asText()).isEqualTo(today);
    }

    @Test
    void setJwksTakesHttpsOrTheLoopbackAndShowAppNamesIt() {
        createApp();
        Run refused = operator("set-jwks", "--app", app, "--url", "http://backend.example.com/jwks.json");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("https://");
        assertThat(operator("set-jwks", "--app", app, "--url", "https://backend.example.com/.well-known/jwks.json").exit()).isZero();
        assertThat(operator("show-app", "--app", app).json().path("jwks_url").asText()).isEqualTo("https://backend.example.com/.well-known/jwks.json");
        assertThat(operator("set-jwks", "--app", app, "--url", "").exit()).isZero();
        assertThat(operator("show-app", "--app", app).json().has("jwks_url")).isFalse();
    }

    @Test
    void exportUserPrintsEverythingUserhubHoldsAboutAUser() {
        Run created = createApp();
        Reply login = login(mint(created.json().get("api_key").asText()).get("token").asText());
        String userId = login.body().at("/user/id").asText();

        Run export = operator("export-user", "--app", app, "--user-id", userId);
        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(export.json().at("/user/id").asText()).isEqualTo(userId);
        assertThat(export.json().at("/user/identities/0/value").asText()).isEqualTo("rotating-user");
        assertThat(export.json().at("/sessions")).hasSize(1);
        assertThat(export.json().toString()).doesNotContain(login.body().at("/session_token").asText());

        Run unknown = operator("export-user", "--app", app, "--user-id", "0".repeat(32));
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("user not found");
    }

    @Test
    void keyAndSettingsChangesLeaveAuditRecordsWithoutSecretsAndTheAuditCommandPagesThem() {
        Run created = createApp();
        String secret = created.json().get("secret").asText();
        clock.advance(Duration.ofSeconds(1));
        Run added = operator("add-key", "--app", app);
        clock.advance(Duration.ofSeconds(1));
        operator("set-settings", "--app", app, "--anonymous-policy", "merge");
        clock.advance(Duration.ofSeconds(1));
        Run apiKey = operator("create-api-key", "--app", app);
        login(mint(created.json().get("api_key").asText()).get("token").asText());

        Run changes = operator("audit", "--app", app, "--kind", "key_changed,settings_changed");
        assertThat(changes.exit()).as(changes.err()).isZero();
        assertThat(changes.lines()).extracting(l -> l.at("/details/action").asText())
                .containsExactly("key_added", "settings_set", "api_key_created");
        assertThat(changes.lines().get(0).at("/details/kid").asText()).isEqualTo(added.json().get("kid").asText());
        assertThat(changes.lines().get(1).at("/details/anonymous_policy").asText()).isEqualTo("merge");
        assertThat(changes.lines().get(2).at("/details/api_key_id").asText()).isEqualTo(apiKey.json().get("api_key_id").asText());
        String all = changes.lines().toString();
        assertThat(all).doesNotContain(added.json().get("secret").asText()).doesNotContain(secret)
                .doesNotContain(apiKey.json().get("api_key").asText());
        // The login is in the app's feed too, and a person's feed holds their records only.
        Run logins = operator("audit", "--app", app, "--kind", "login");
        assertThat(logins.lines()).hasSize(1);
        String userId = logins.json().get("user_id").asText();
        assertThat(operator("audit", "--app", app, "--user-id", userId).lines()).hasSize(1);
        assertThat(operator("audit", "--app", app, "--kind", "nonsense").exit()).isEqualTo(1);
    }

    @Test
    void stagedEnforcementAndResolutionRulesAreSettingsAndTheDryRunWritesNothing(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        createApp();
        Run optional = operator("set-settings", "--app", app, "--verification", "optional", "--sticky", "email,phone_number",
                "--identifier-limit", "email=3", "--resolution-priority", "phone_number,email");
        assertThat(optional.exit()).as(optional.err()).isZero();
        assertThat(optional.json().at("/settings/verification").asText()).isEqualTo("optional");
        assertThat(optional.json().at("/warnings").toString()).contains("--verification required");
        assertThat(optional.json().at("/settings/resolution_rules/sticky").toString()).isEqualTo("[\"email\",\"phone_number\"]");
        assertThat(optional.json().at("/settings/resolution_rules/identifier_limits/email").asInt()).isEqualTo(3);
        assertThat(optional.json().at("/settings/resolution_rules/priority/0").asText()).isEqualTo("phone_number");
        assertThat(operator("set-settings", "--app", app, "--sticky", "uid").err()).contains("resolution rules");
        assertThat(operator("set-settings", "--app", app, "--identifier-limit", "email=99").exit()).isEqualTo(1);
        Run required = operator("set-settings", "--app", app, "--verification", "required");
        assertThat(required.json().has("warnings")).isFalse();
        assertThat(required.json().at("/settings/resolution_rules/identifier_limits/email").asInt()).isEqualTo(3);

        java.nio.file.Path body = java.nio.file.Files.writeString(dir.resolve("dry-run.json"), "{\"rules\":{\"sticky\":[]},"
                + "\"samples\":[{\"identities\":[{\"identifier\":\"uid\",\"value\":\"a\"},{\"identifier\":\"email\",\"value\":\"a1@example.com\"},"
                + "{\"identifier\":\"email\",\"value\":\"a2@example.com\"},{\"identifier\":\"email\",\"value\":\"a3@example.com\"},"
                + "{\"identifier\":\"email\",\"value\":\"a4@example.com\"}]}]}");
        Run dryRun = operator("rules-dry-run", "--app", app, "--file", body.toString());
        assertThat(dryRun.exit()).as(dryRun.err()).isZero();
        assertThat(dryRun.json().at("/results/0/current/reason").asText()).isEqualTo("IDENTITIES_SIZE_LIMIT_EXCEEDED");
        assertThat(dryRun.json().at("/proposed_rules/sticky")).isEmpty();
        assertThat(dryRun.json().at("/summary/samples").asInt()).isEqualTo(1);
    }

    @Test
    void sunshineCompatibilityIsOffByDefaultAndShowAppWarnsWhileItIsOn() {
        createApp();
        assertThat(operator("show-app", "--app", app).json().at("/settings/sunshine_compatibility").asBoolean(true)).isFalse();
        Run on = operator("set-settings", "--app", app, "--sunshine-compatibility", "on");
        assertThat(on.exit()).as(on.err()).isZero();
        assertThat(on.json().at("/settings/sunshine_compatibility").asBoolean()).isTrue();
        Run shown = operator("show-app", "--app", app);
        assertThat(shown.json().at("/warnings").toString()).contains("sunshine compatibility is on").contains("replayed");
        assertThat(operator("audit", "--app", app, "--kind", "settings_changed").lines().toString()).contains("sunshine_compatibility");
        assertThat(operator("set-settings", "--app", app, "--sunshine-compatibility", "yes").err()).contains("takes true or false (on or off)");
        Run anonymous = operator("set-settings", "--app", app, "--anonymous-inactivity", "7d", "--new-anonymous-devices-per-ip-per-hour", "20");
        assertThat(anonymous.json().at("/settings/anonymous_inactivity").asText()).isEqualTo("PT168H");
        assertThat(anonymous.json().at("/settings/new_anonymous_devices_per_ip_per_hour").asInt()).isEqualTo(20);
        assertThat(operator("set-settings", "--app", app, "--new-anonymous-devices-per-ip-per-hour", "0").exit()).isEqualTo(1);
        assertThat(operator("set-settings", "--app", app, "--require-verified-email", "true").json()
                .at("/settings/require_verified_email").asBoolean()).isTrue();
        assertThat(operator("set-settings", "--app", app, "--signed-only-keys", "plan,user_vip_segment").json()
                .at("/settings/signed_only_keys").toString()).isEqualTo("[\"plan\",\"user_vip_segment\"]");
        assertThat(operator("set-settings", "--app", app, "--allowed-origins", "https://shop.example.com, https://WWW.example.com:8443").json()
                .at("/settings/allowed_origins").toString()).isEqualTo("[\"https://shop.example.com\",\"https://www.example.com:8443\"]");
        assertThat(operator("set-settings", "--app", app, "--allowed-origins", "https://shop.example.com/path").err()).contains("no path");
        Run off = operator("set-settings", "--app", app, "--sunshine-compatibility", "off");
        assertThat(off.json().at("/settings/sunshine_compatibility").asBoolean(true)).isFalse();
        assertThat(off.json().has("warnings")).isFalse();
    }

    @Test
    void revokeSessionsSetsTheInstantOnceAndOnlyForward() {
        createApp();
        Run revoked = operator("revoke-sessions", "--app", app, "--before", "2026-12-01T00:00:00Z");
        assertThat(revoked.exit()).as(revoked.err()).isZero();
        assertThat(revoked.json().at("/sessions_issued_before").asText()).isEqualTo("2026-12-01T00:00:00Z");
        assertThat(revoked.json().at("/changed").asBoolean()).isTrue();
        Run earlier = operator("revoke-sessions", "--app", app, "--before", "2026-11-01T00:00:00Z");
        assertThat(earlier.json().at("/sessions_issued_before").asText()).isEqualTo("2026-12-01T00:00:00Z");
        assertThat(earlier.json().at("/changed").asBoolean(true)).isFalse();
        assertThat(operator("revoke-sessions", "--app", app, "--before", "soon").exit()).isEqualTo(1);
        assertThat(operator("audit", "--app", app, "--kind", "settings_changed").lines().toString()).contains("sessions_revoked");
    }

    @Test
    void unmergeUndoesAMoveByTheMergeIdTheAuditCommandShows() {
        Run created = createApp();
        String apiKey = created.json().get("api_key").asText();
        String adaToken = mintIdentities(apiKey, "ada", "moved@example.com");
        String ada = login(adaToken).body().at("/user/id").asText();
        clock.advance(Duration.ofMinutes(1));
        String bob = login(mintIdentities(apiKey, "bob", "moved@example.com")).body().at("/user/id").asText();
        String mergeId = operator("audit", "--app", app, "--user-id", bob, "--kind", "login").json().at("/details/merge_id").asText();

        Run undone = operator("unmerge", "--app", app, "--user-id", bob, "--merge-id", mergeId);
        assertThat(undone.exit()).as(undone.err()).isZero();
        assertThat(undone.json().at("/restored_identities/0/to_user_id").asText()).isEqualTo(ada);
        Run again = operator("unmerge", "--app", app, "--user-id", bob, "--merge-id", mergeId);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("unmerge refused: ALREADY_UNDONE");
    }

    private String mintIdentities(String apiKey, String uid, String email) {
        var response = mintHandler.handleRequest(ApiEvents.mint(app).bearer(apiKey)
                .body("{\"identities\":[{\"identifier\":\"uid\",\"value\":\"" + uid + "\"},{\"identifier\":\"email\",\"value\":\"" + email + "\"}]}")
                .build(), null);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return Json.parseObject(response.getBody()).orElseThrow().get("token").asText();
    }

    private final Wiring wiring = DynamoDbLocalExtension.wiring(clock);
    private final MintHandler mintHandler = new MintHandler(wiring);
    private final LoginHandler loginHandler = new LoginHandler(wiring);

    record Reply(int status, JsonNode body) {}

    private JsonNode mint(String apiKey) {
        var response = mintHandler.handleRequest(ApiEvents.mint(app).bearer(apiKey)
                .body("{\"identities\":[{\"identifier\":\"uid\",\"value\":\"rotating-user\"}]}").build(), null);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return Json.parseObject(response.getBody()).orElseThrow();
    }

    private int mintStatus(String apiKey) {
        return mintHandler.handleRequest(ApiEvents.mint(app).bearer(apiKey)
                .body("{\"identities\":[{\"identifier\":\"uid\",\"value\":\"u\"}]}").build(), null).getStatusCode();
    }

    private Reply login(String token) {
        ObjectNode body = Json.object().put("identity_token", token).put("device_id", "d-" + Hashing.randomId());
        var response = loginHandler.handleRequest(ApiEvents.login(app).body(Json.write(body)).build(), null);
        return new Reply(response.getStatusCode(), Json.parseObject(response.getBody()).orElseThrow());
    }
}
