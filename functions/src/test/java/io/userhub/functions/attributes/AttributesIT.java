package io.userhub.functions.attributes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.functions.support.Harness;
import io.userhub.functions.support.Harness.Response;
import io.userhub.shared.json.Json;
import io.userhub.shared.store.Items;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(DynamoDbLocalExtension.class)
public class AttributesIT {

    private static String batch(String... typeAndAttributesJson) {
        StringBuilder updates = new StringBuilder("{\"updates\":[");
        for (int i = 0; i < typeAndAttributesJson.length; i += 2) {
            if (i > 0) updates.append(',');
            updates.append("{\"type\":\"").append(typeAndAttributesJson[i]).append("\",\"attributes\":").append(typeAndAttributesJson[i + 1]).append('}');
        }
        return updates.append("]}").toString();
    }

    @Test
    void globalAndAppAttributesAreAppliedInOrderLaterValuesWinning() {
        Harness h = new Harness();
        String session = h.sessionFor("phone", "uid", "u-1");
        String userId = h.session(session).text("/user/id");
        Response response = h.attributes(session, batch(
                "global", "{\"first_name\":\"Ada\",\"last_city\":\"Paris\",\"age\":36}",
                "app", "{\"country\":\"FR\",\"app_version\":\"1.0\"}",
                "global", "{\"last_city\":\"London\",\"display_name\":\"Countess\"}",
                "app", "{\"app_version\":\"1.1\",\"custom_user_fields\":{\"plan\":\"gold\"}}"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().at("/applied/global").toString()).contains("first_name", "last_city", "age", "display_name");
        Map<String, AttributeValue> global = Items.map(h.profileItem(userId), "global");
        assertThat(global.get("first_name").s()).isEqualTo("Ada");
        assertThat(global.get("last_city").s()).isEqualTo("London");
        assertThat(global.get("age").n()).isEqualTo("36");
        assertThat(h.profileItem(userId).get("display_name").s()).isEqualTo("Countess");
        Map<String, AttributeValue> app = h.appItem(userId);
        assertThat(app.get("a:country").s()).isEqualTo("FR");
        assertThat(app.get("a:app_version").s()).isEqualTo("1.1");
        assertThat(app.get("cuf:plan").s()).isEqualTo("gold");
        assertThat(h.session(session).text("/user/display_name")).isEqualTo("Countess");
    }

    @Test
    void tagOperationsFoldInOrder() {
        Harness h = new Harness();
        String session = h.sessionFor("phone", "uid", "u-1");
        String userId = h.session(session).text("/user/id");
        h.attributes(session, batch("global", "{\"new_tags\":[\"a\",\"b\",\"c\"]}"));
        h.attributes(session, batch(
                "global", "{\"tags_to_remove\":[\"a\"]}",
                "global", "{\"new_tags\":[\"d\"]}"));
        assertThat(Items.map(h.profileItem(userId), "tags")).containsOnlyKeys("b", "c", "d");

        h.attributes(session, batch(
                "global", "{\"new_tags\":[\"e\"]}",
                "global", "{\"reset_tags\":[\"x\",\"y\"]}",
                "global", "{\"new_tags\":[\"z\"],\"tags_to_remove\":[\"x\"]}"));
        assertThat(Items.map(h.profileItem(userId), "tags")).containsOnlyKeys("y", "z");
    }

    @Test
    void unsupportedKeysAreRejectedAndWrongTypesIgnoredBothReported() {
        Harness h = new Harness();
        String session = h.sessionFor("phone", "uid", "u-1");
        String userId = h.session(session).text("/user/id");
        Response response = h.attributes(session, batch(
                "global", "{\"first_name\":\"Ada\",\"favourite_color\":\"blue\",\"last_name\":42,\"new_tags\":\"not-a-list\"}",
                "app", "{\"country\":\"FR\",\"spaceship\":\"yes\",\"city\":[\"x\"]}"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().get("invalidCoreAttributes").toString()).isEqualTo("[\"favourite_color\"]");
        assertThat(response.body().get("invalidAppAttributes").toString()).isEqualTo("[\"spaceship\"]");
        assertThat(response.body().get("ignored").findValuesAsText("key")).containsExactlyInAnyOrder("last_name", "new_tags", "city");
        assertThat(response.body().get("ignored").findValuesAsText("code")).containsOnly("INVALID_VALUE_TYPE");
        assertThat(Items.map(h.profileItem(userId), "global")).containsOnlyKeys("first_name");
        assertThat(h.appItem(userId)).containsKey("a:country").doesNotContainKey("a:spaceship").doesNotContainKey("a:city");
    }

    @Test
    void moreThan100KeysInOneUpdateRefusesTheBatchAndWritesNothing() {
        Harness h = new Harness();
        String session = h.sessionFor("phone", "uid", "u-1");
        String userId = h.session(session).text("/user/id");
        ObjectNode attributes = Json.object();
        for (int i = 0; i < 101; i++) {
            attributes.put("key_" + i, "v");
        }
        Response global = h.attributes(session, batch("global", "{\"first_name\":\"Ada\"}", "global", attributes.toString()));
        assertThat(global.status()).isEqualTo(400);
        assertThat(global.body().get("error").asText()).isEqualTo("UPDATE_GLOBAL_USER_DATA_FAILED");
        assertThat(global.reason()).isEqualTo("MAX_KEY_VALUES_LIMIT_EXCEEDED");
        assertThat(global.body().at("/details/receivedTotalKeys").asInt()).isEqualTo(101);
        assertThat(global.body().at("/details/maxKeysAllowed").asInt()).isEqualTo(100);

        Response app = h.attributes(session, batch("app", attributes.toString()));
        assertThat(app.body().get("error").asText()).isEqualTo("UPDATE_APP_USER_DATA_FAILED");
        assertThat(Items.map(h.profileItem(userId), "global")).isEmpty();

        attributes.remove("key_100");
        assertThat(h.attributes(session, batch("global", attributes.toString())).status()).isEqualTo(200);
    }

    @Test
    void customFieldsFollowTheAppsSchema() {
        Harness h = new Harness(s -> s.withCustomFieldSchema(Map.of(
                "plan", "dropdown", "notes", "multi-line", "seats", "number", "renewal", "date", "vip", "checkbox", "nick", "single-line")));
        String session = h.sessionFor("phone", "uid", "u-1");
        String userId = h.session(session).text("/user/id");
        ObjectNode fields = Json.object().put("plan", "gold").put("notes", "line 1\n" + "x".repeat(5_000)).put("seats", "12")
                .put("renewal", "2027-01-31").put("vip", "maybe").put("nick", "a\nb").put("unknown_field", "x");
        Response response = h.attributes(session, batch("global", "{\"custom_user_fields\":" + fields + "}"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(Items.map(h.profileItem(userId), "global_cuf")).containsOnlyKeys("plan", "notes", "seats", "renewal");
        assertThat(response.body().get("ignored").findValuesAsText("key"))
                .containsExactlyInAnyOrder("custom_user_fields.vip", "custom_user_fields.nick", "custom_user_fields.unknown_field");
    }

    @Test
    void limitsAtTheirBoundaries() {
        Harness h = new Harness();
        String session = h.sessionFor("phone", "uid", "u-1");
        String userId = h.session(session).text("/user/id");
        ArrayNode thirty = Json.MAPPER.createArrayNode();
        for (int i = 0; i < 30; i++) thirty.add("t" + i);
        ArrayNode thirtyOne = thirty.deepCopy().add("t30");
        Response response = h.attributes(session, batch("global", "{\"new_tags\":" + thirty + ",\"custom_user_fields\":{\"ok\":\""
                + "v".repeat(255) + "\",\"long\":\"" + "v".repeat(256) + "\"}}", "global", "{\"tags_to_remove\":" + thirtyOne + "}"));
        assertThat(Items.map(h.profileItem(userId), "tags")).hasSize(30);
        assertThat(Items.map(h.profileItem(userId), "global_cuf")).containsOnlyKeys("ok");
        assertThat(response.body().get("ignored").toString()).contains("COLLECTION_SIZE_LIMIT_EXCEEDED", "VALUE_LENGTH_LIMIT_EXCEEDED");
        Response longTag = h.attributes(session, batch("global", "{\"new_tags\":[\"" + "t".repeat(101) + "\"]}"));
        assertThat(longTag.body().get("ignored").findValuesAsText("key")).containsExactly("new_tags");
    }

    @Test
    void malformedBatchesAreRefusedAndWriteNothing() {
        Harness h = new Harness();
        String session = h.sessionFor("phone", "uid", "u-1");
        String userId = h.session(session).text("/user/id");
        for (String body : new String[]{"{}", "{\"updates\":{}}", "{\"updates\":[{\"type\":\"other\",\"attributes\":{}}]}",
                "{\"updates\":[{\"type\":\"global\",\"attributes\":[]}]}", "{\"updates\":[1]}", "{bad json"}) {
            Response response = h.attributes(session, body);
            assertThat(response.status()).as(body).isEqualTo(400);
        }
        assertThat(Items.map(h.profileItem(userId), "global")).isEmpty();
        assertThat(h.appItem(userId)).isEmpty();
    }

    @Test
    void aBatchCostsOneRoundTripToAuthenticateAndOneToWrite() {
        Harness h = new Harness();
        String session = h.sessionFor("phone", "uid", "u-1");
        h.recorder.reset();
        h.attributes(session, batch("global", "{\"first_name\":\"Ada\",\"new_tags\":[\"a\"]}", "app", "{\"country\":\"FR\"}"));
        assertThat(h.recorder.operations()).containsExactly("UpdateItem", "TransactWriteItems");
        h.recorder.reset();
        h.attributes(session, batch("global", "{\"first_name\":\"Ada\"}"));
        assertThat(h.recorder.operations()).containsExactly("UpdateItem", "UpdateItem");
    }

    @Test
    void concurrentBatchesFromTwoDevicesOfOneUserBothSurvive() throws Exception {
        Harness h = new Harness(s -> s.withUpdatesPerMinute(1000));
        String phone = h.sessionFor("phone", "uid", "u-1");
        String laptop = h.sessionFor("laptop", "uid", "u-1");
        String userId = h.session(phone).text("/user/id");
        int rounds = 15;
        ExecutorService executor = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<Integer>>> devices = new ArrayList<>();
            for (String[] device : new String[][]{{phone, "phone"}, {laptop, "laptop"}}) {
                devices.add(executor.submit(() -> {
                    start.await();
                    List<Integer> statuses = new ArrayList<>();
                    for (int i = 0; i < rounds; i++) {
                        statuses.add(h.attributes(device[0], batch(
                                "global", "{\"custom_user_fields\":{\"" + device[1] + "_" + i + "\":\"v" + i + "\"},\"new_tags\":[\"" + device[1] + i + "\"]}",
                                "app", "{\"custom_user_fields\":{\"" + device[1] + "_" + i + "\":\"v\"}}")).status());
                    }
                    return statuses;
                }));
            }
            start.countDown();
            for (Future<List<Integer>> device : devices) {
                assertThat(device.get(60, TimeUnit.SECONDS)).containsOnly(200);
            }
        } finally {
            executor.shutdownNow();
        }
        assertThat(Items.map(h.profileItem(userId), "global_cuf")).hasSize(2 * rounds);
        assertThat(Items.map(h.profileItem(userId), "tags")).hasSize(2 * rounds);
        assertThat(h.appItem(userId).keySet().stream().filter(k -> k.startsWith("cuf:"))).hasSize(2 * rounds);
    }

    @Test
    void updatesBeyondTheRateLimitGet429WithRetryAfter() {
        Harness h = new Harness(s -> s.withUpdatesPerMinute(3));
        h.clock.set(h.clock.instant().plusSeconds(10));
        String session = h.sessionFor("phone", "uid", "u-1");
        String body = batch("global", "{\"first_name\":\"Ada\"}");
        for (int i = 0; i < 3; i++) {
            assertThat(h.attributes(session, body).status()).isEqualTo(200);
        }
        Response limited = h.attributes(session, body);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.reason()).isEqualTo("RATE_LIMITED");
        assertThat(limited.headers().get("retry-after")).isEqualTo("50");
        assertThat(h.addIdentities(session, h.identitiesToken("email", "r@example.com")).status()).isEqualTo(429);

        h.clock.advance(Duration.ofSeconds(50));
        assertThat(h.attributes(session, body).status()).isEqualTo(200);
    }
}
