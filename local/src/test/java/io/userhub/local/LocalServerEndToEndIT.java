package io.userhub.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.devkit.LocalDynamo;
import io.userhub.devkit.SamTemplate;
import io.userhub.shared.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The local server over real HTTP: the same handlers the template names, DynamoDB Local behind them. */
class LocalServerEndToEndIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalUserhub userhub;
    private static final List<String> LOG = new ArrayList<>();

    record Reply(int status, JsonNode body) {
        String text(String pointer) {
            return body.at(pointer).asText();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        userhub = LocalUserhub.start(new LocalUserhub.Options(0, null, SamTemplate.locatePath(), Map.of()), LOG::add);
    }

    @AfterAll
    static void stop() {
        userhub.close();
    }

    static Reply send(URI base, String method, String path, String contentType, String body, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) request.header("content-type", contentType);
        if (bearer != null) request.header("authorization", "Bearer " + bearer);
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = Json.parseObject(response.body()).map(JsonNode.class::cast).orElse(Json.object());
        return new Reply(response.statusCode(), json);
    }

    static Reply post(URI base, String path, String body, String bearer) throws Exception {
        return send(base, "POST", path, "application/json", body, bearer);
    }

    @Test
    void listensOnLoopbackOnly() {
        assertThat(userhub.url().getHost()).isEqualTo("127.0.0.1");
        assertThat(userhub.dynamoEndpoint().getHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void mintThenLoginThenLogInAgainAndAnonymously() throws Exception {
        URI base = userhub.url();
        DemoApp.Credentials demo = userhub.demo();
        Reply minted = post(base, "/v1/apps/demo/tokens",
                "{\"identities\":[{\"identifier\":\"uid\",\"value\":\"e2e-user\"},{\"identifier\":\"email\",\"value\":\"e2e@example.com\"}]}", demo.apiKey());
        assertThat(minted.status()).isEqualTo(200);

        Reply login = post(base, "/v1/apps/demo/login", "{\"identity_token\":\"" + minted.text("/token") + "\",\"device_id\":\"e2e-phone\"}", null);
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.text("/user/anonymous")).isEqualTo("false");

        Reply again = post(base, "/v1/apps/demo/login", "{\"identity_token\":\"" + minted.text("/token") + "\",\"device_id\":\"e2e-tablet\"}",
                login.text("/session_token"));
        assertThat(again.text("/user/id")).isEqualTo(login.text("/user/id"));

        Reply anonymous = post(base, "/v1/apps/demo/login", "{\"identity_token\":\"\",\"device_id\":\"e2e-kiosk\"}", null);
        Reply anonymousAgain = post(base, "/v1/apps/demo/login", "{\"identity_token\":\"\",\"device_id\":\"e2e-kiosk\"}", null);
        assertThat(anonymous.text("/user/anonymous")).isEqualTo("true");
        assertThat(anonymousAgain.text("/user/id")).isEqualTo(anonymous.text("/user/id"));

        assertThat(LOG).anySatisfy(line -> assertThat(line).contains("\"Route\":\"POST /v1/apps/{appId}/login\"")
                .contains("\"app_id\":\"demo\"").contains("\"status\":200").contains("\"Outcome\":\"ok\""));
        assertThat(LOG).allSatisfy(line -> assertThat(io.userhub.shared.json.Json.parseObject(line)).as(line).isPresent());
        assertThat(String.join("\n", LOG)).doesNotContain(minted.text("/token")).doesNotContain(login.text("/session_token"));
    }

    /** HelpCrunch customers on day one: numeric user ids, imported users with a security hash, and what an unproven login is told. */
    @Test
    void aHelpCrunchIntegrationOverHttp() throws Exception {
        URI base = userhub.url();
        String apiKey = userhub.demo().apiKey();
        Reply imported = send(base, "POST", "/v1/apps/demo/users/import", "text/csv",
                "user_id,name,security_hash\n424242,Imported Ida,ida-hash\n", apiKey);
        assertThat(imported.status()).isEqualTo(200);
        String importedId = imported.text("/results/0/id");

        Reply numeric = post(base, "/v1/apps/demo/login", "{\"user\":{\"user_id\":424242,\"security_hash\":\"ida-hash\"},\"device_id\":\"hc-1\"}", null);
        assertThat(numeric.status()).isEqualTo(200);
        assertThat(numeric.text("/user/id")).isEqualTo(importedId);
        assertThat(numeric.body().at("/user/verified").asBoolean()).isTrue();
        Reply noHash = post(base, "/v1/apps/demo/login", "{\"user\":{\"user_id\":\"424242\"},\"device_id\":\"hc-2\"}", null);
        assertThat(noHash.status()).isEqualTo(403);
        assertThat(noHash.text("/reason")).isEqualTo("SECURITY_HASH_MISMATCH");

        Reply unproven = post(base, "/v1/apps/demo/login", "{\"user\":{\"user_id\":777},\"device_id\":\"hc-3\"}", null);
        assertThat(unproven.body().at("/user/verified").asBoolean(true)).isFalse();
        assertThat(unproven.text("/user/unverified_reason")).isEqualTo("USER_ID_NOT_VERIFIED");
        Reply fraction = post(base, "/v1/apps/demo/login", "{\"user\":{\"user_id\":777.5},\"device_id\":\"hc-3\"}", null);
        assertThat(fraction.status()).isEqualTo(400);
        assertThat(fraction.text("/errors/user_id")).isEqualTo("NOT_AN_INTEGER");
        assertThat(fraction.body().at("/details/invalidFields").toString()).isEqualTo("[\"user_id\"]");
    }

    @Test
    void theWholeSessionFlowOverHttp() throws Exception {
        URI base = userhub.url();
        String apiKey = userhub.demo().apiKey();
        String loginToken = post(base, "/v1/apps/demo/tokens", "{\"identities\":[{\"identifier\":\"uid\",\"value\":\"flow-user\"}]}", apiKey).text("/token");
        Reply login = post(base, "/v1/apps/demo/login", "{\"identity_token\":\"" + loginToken + "\",\"device_id\":\"flow-phone\"}", null);
        String session = login.text("/session_token");

        String more = post(base, "/v1/apps/demo/tokens",
                "{\"identities\":[{\"identifier\":\"email\",\"value\":\"flow@example.com\"}],\"full_privacy_enabled\":true}", apiKey).text("/token");
        Reply added = post(base, "/v1/identities", "{\"identity_token\":\"" + more + "\"}", session);
        assertThat(added.status()).isEqualTo(200);
        assertThat(added.body().at("/user/identities").findValuesAsText("value")).containsExactlyInAnyOrder("flow-user", "flow@example.com");

        Reply attributes = post(base, "/v1/attributes", "{\"updates\":[{\"type\":\"global\",\"attributes\":{\"first_name\":\"Flo\",\"new_tags\":[\"beta\"]}},"
                + "{\"type\":\"app\",\"attributes\":{\"app_version\":\"3.0\",\"warp_drive\":\"on\"}}]}", session);
        assertThat(attributes.status()).isEqualTo(200);
        assertThat(attributes.body().get("invalidAppAttributes").toString()).isEqualTo("[\"warp_drive\"]");

        Reply state = send(base, "GET", "/v1/session", null, null, session);
        assertThat(state.status()).isEqualTo(200);
        assertThat(state.text("/user/id")).isEqualTo(login.text("/user/id"));
        assertThat(state.text("/state")).isEqualTo("active");
        assertThat(state.body().get("notices")).isEmpty();

        assertThat(post(base, "/v1/logout", null, session).status()).isEqualTo(200);
        Reply refused = send(base, "GET", "/v1/session", null, null, session);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.text("/reason")).isEqualTo("SESSION_INVALID");
        assertThat(post(base, "/v1/attributes", "{\"updates\":[]}", session).status()).isEqualTo(401);
    }

    @Test
    void theServerRoutesOverHttp() throws Exception {
        URI base = userhub.url();
        String apiKey = userhub.demo().apiKey();
        HttpResponse<String> imported = HTTP.send(HttpRequest.newBuilder(base.resolve("/v1/apps/demo/users/import"))
                .header("content-type", "text/csv").header("authorization", "Bearer " + apiKey)
                .POST(HttpRequest.BodyPublishers.ofString("user_id,email,name,plan\ncsv-1,csv1@example.com,Csv One,gold\n")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(imported.statusCode()).isEqualTo(200);
        assertThat(imported.body()).contains("\"created\":1");

        Reply found = send(base, "GET", "/v1/apps/demo/users?identifier=uid&value=csv-1", null, null, apiKey);
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.text("/user/custom_user_fields/plan")).isEqualTo("gold");
        String userId = found.text("/user/id");

        assertThat(post(base, "/v1/apps/demo/users/" + userId + "/logout", null, apiKey).status()).isEqualTo(200);
        Reply erased = send(base, "DELETE", "/v1/apps/demo/users/" + userId, null, null, apiKey);
        assertThat(erased.status()).isEqualTo(200);
        assertThat(erased.body().at("/deleted/profile").asInt()).isEqualTo(1);
        assertThat(send(base, "GET", "/v1/apps/demo/users?identifier=uid&value=csv-1", null, null, apiKey).status()).isEqualTo(404);
        assertThat(send(base, "GET", "/v1/apps/demo/users?identifier=uid&value=csv-1", null, null, "wrong-key").status()).isEqualTo(401);
    }

    @Test
    void browsersGetTheCorsAnswersTheTemplateConfigures() throws Exception {
        HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(userhub.url().resolve("/v1/attributes"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://shop.example.com").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).contains("*");
        assertThat(preflight.headers().firstValue("access-control-allow-methods").orElse("")).contains("POST");
        assertThat(preflight.headers().firstValue("access-control-allow-headers").orElse("")).contains("authorization");

        HttpResponse<String> actual = HTTP.send(HttpRequest.newBuilder(userhub.url().resolve("/v1/apps/demo/login"))
                .header("Origin", "https://shop.example.com").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"identity_token\":\"\",\"device_id\":\"web-1\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(actual.statusCode()).isEqualTo(200);
        assertThat(actual.headers().firstValue("access-control-allow-origin")).contains("*");
    }

    @Test
    void badInputGetsA4xxInTheErrorShape() throws Exception {
        URI base = userhub.url();
        Reply malformed = post(base, "/v1/apps/demo/login", "{\"identity_token\":", null);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.text("/error")).isEqualTo("REQUEST_INVALID");
        assertThat(malformed.text("/reason")).isEqualTo("MALFORMED_JSON");
        assertThat(malformed.text("/request_id")).isNotBlank();

        Reply wrongType = send(base, "POST", "/v1/apps/demo/login", "text/plain", "hello", null);
        assertThat(wrongType.status()).isEqualTo(415);

        Reply huge = post(base, "/v1/apps/demo/login", "{\"identity_token\":\"" + "a".repeat(300_000) + "\"}", null);
        assertThat(huge.status()).isEqualTo(413);

        Reply unknownRoute = send(base, "GET", "/v1/whatever", null, null, null);
        assertThat(unknownRoute.status()).isEqualTo(404);
        assertThat(unknownRoute.text("/reason")).isEqualTo("ROUTE_NOT_FOUND");

        Reply wrongMethod = send(base, "GET", "/v1/apps/demo/login", null, null, null);
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.text("/reason")).isEqualTo("METHOD_NOT_ALLOWED");

        Reply garbageToken = post(base, "/v1/apps/demo/login", "{\"identity_token\":\"x.y.z\",\"device_id\":\"d\"}", null);
        assertThat(garbageToken.status()).isEqualTo(401);
        assertThat(garbageToken.text("/details/cause")).isEqualTo("MALFORMED");

        Reply noKey = post(base, "/v1/apps/demo/tokens", "{\"identities\":[{\"identifier\":\"uid\",\"value\":\"u\"}]}", null);
        assertThat(noKey.status()).isEqualTo(401);
    }

    @Test
    void dataSurvivesARestartWithADataDirectory(@TempDir Path data) throws Exception {
        String firstUserId;
        try (LocalUserhub first = LocalUserhub.start(new LocalUserhub.Options(0, data, SamTemplate.locatePath(), Map.of()), line -> { })) {
            firstUserId = loginViaMint(first, "persistent-user");
        }
        try (LocalUserhub second = LocalUserhub.start(new LocalUserhub.Options(0, data, SamTemplate.locatePath(), Map.of()), line -> { })) {
            assertThat(loginViaMint(second, "persistent-user")).isEqualTo(firstUserId);
        }
    }

    @Test
    void anAwsEndpointInTheEnvironmentIsUsedInsteadOfAnEmbeddedDynamo() throws Exception {
        try (LocalDynamo external = LocalDynamo.startInMemory();
             LocalUserhub pointed = LocalUserhub.start(new LocalUserhub.Options(0, null, SamTemplate.locatePath(),
                     Map.of("AWS_ENDPOINT_URL", external.endpoint().toString())), line -> { })) {
            assertThat(pointed.dynamoEndpoint()).isEqualTo(external.endpoint());
            loginViaMint(pointed, "external-dynamo-user");
            try (DynamoDbClient client = DynamoDbClient.builder().endpointOverride(external.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y"))).build()) {
                assertThat(client.listTables().tableNames()).containsExactlyInAnyOrder("AppsTable", "UsersTable", "SessionsTable",
                        "WebhooksTable");
                assertThat(client.scan(b -> b.tableName("SessionsTable")).count()).isEqualTo(1);
            }
        }
    }

    @Test
    void theLocalServerRunsTheNotifiersAndLogsEachNotice() throws Exception {
        List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
        try (LocalUserhub server = LocalUserhub.start(new LocalUserhub.Options(0, null, SamTemplate.locatePath(), Map.of(), -1), log::add)) {
            assertThat(server.schedules().scheduled()).extracting(LocalSchedules.Scheduled::functionId)
                    .containsExactlyInAnyOrder("RefreshNotifierFunction", "ExpiryNotifierFunction");
            assertThat(server.schedules().scheduled()).allSatisfy(s -> assertThat(s.periodSeconds()).isEqualTo(60));

            io.userhub.shared.store.AppStore apps = new io.userhub.shared.store.AppStore(server.wiring().dynamo(), server.wiring().tables().apps());
            apps.putSettings("demo", io.userhub.shared.model.AppSettings.defaults()
                    .withSessionTimes(java.time.Duration.ofSeconds(4), java.time.Duration.ofSeconds(2)));
            server.wiring().apps().invalidate("demo");
            loginViaMint(server, "short-lived");

            // Session times are whole seconds from the login's second: refresh due within 2 s, expired within 4 s.
            Thread.sleep(2_100);
            server.schedules().runAllOnce();
            assertThat(log).anySatisfy(line -> assertThat(line).contains("\"message\":\"notice\"")
                    .contains("\"type\":\"refreshUserCredentials\"").contains("\"device_id\":\"d\""));
            Thread.sleep(2_100);
            server.schedules().runAllOnce();
            assertThat(log).anySatisfy(line -> assertThat(line).contains("\"message\":\"notice\"")
                    .contains("\"type\":\"userSessionExpired\""));
        }
    }

    private static String loginViaMint(LocalUserhub server, String uid) throws Exception {
        Reply minted = post(server.url(), "/v1/apps/demo/tokens", "{\"identities\":[{\"identifier\":\"uid\",\"value\":\"" + uid + "\"}]}",
                server.demo().apiKey());
        assertThat(minted.status()).isEqualTo(200);
        Reply login = post(server.url(), "/v1/apps/demo/login", "{\"identity_token\":\"" + minted.text("/token") + "\",\"device_id\":\"d\"}", null);
        assertThat(login.status()).isEqualTo(200);
        return login.text("/user/id");
    }
}
