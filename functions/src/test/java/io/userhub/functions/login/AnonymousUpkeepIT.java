package io.userhub.functions.login;

import io.userhub.functions.support.Harness;
import io.userhub.functions.support.Harness.Response;
import io.userhub.shared.json.Json;
import io.userhub.shared.model.AnonymousPolicy;
import io.userhub.shared.store.SessionStore;
import io.userhub.testkit.ApiEvents;
import io.userhub.testkit.DynamoDbLocalExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What anyone can make without a credential does not live for ever: everything an anonymous
 * login makes expires after the app's inactivity period, pushed back by activity, and new
 * anonymous devices are limited per source IP and app.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class AnonymousUpkeepIT {
    private static final long DAYS_30 = Duration.ofDays(30).toSeconds();

    private static Map<String, AttributeValue> item(Harness h, String pk, String skPrefix) {
        return h.storedItems().stream().filter(i -> i.get("pk").s().equals(pk) && i.get("sk").s().startsWith(skPrefix))
                .findFirst().orElseThrow(() -> new AssertionError("no item " + pk + " " + skPrefix));
    }

    private static Long ttl(Map<String, AttributeValue> item) {
        return item.containsKey("ttl") ? Long.valueOf(item.get("ttl").n()) : null;
    }

    private static Map<String, AttributeValue> profile(Harness h, String userId) {
        return item(h, io.userhub.shared.store.Keys.userPartition(h.app.domainId(), userId), io.userhub.shared.store.ProfileItem.SORT_KEY);
    }

    private static Map<String, AttributeValue> pointer(Harness h, String userId) {
        return item(h, io.userhub.shared.store.Keys.userPartition(h.app.domainId(), userId), "SESSION#");
    }

    private static Map<String, AttributeValue> device(Harness h, String deviceId) {
        return h.storedItems().stream().filter(i -> i.get("pk").s().equals(SessionStore.deviceKey(h.app.appId(), deviceId)))
                .findFirst().orElseThrow();
    }

    private static Response anonymous(Harness h, String deviceId, String sourceIp) {
        return h.login(ApiEvents.login(h.app.appId()).sourceIp(sourceIp)
                .body(Json.write(Json.object().put("identity_token", "").put("device_id", deviceId))));
    }

    @Test
    void everythingAnAnonymousLoginMakesExpiresAfterTheInactivityPeriod() {
        Harness h = new Harness();
        String userId = h.login("kiosk", "").text("/user/id");
        long expiry = h.now() + DAYS_30;
        assertThat(ttl(profile(h, userId))).isEqualTo(expiry);
        assertThat(ttl(pointer(h, userId))).isEqualTo(expiry);
        assertThat(ttl(device(h, "kiosk"))).isEqualTo(expiry);

        String identified = h.login("phone", h.identitiesToken("uid", "known")).text("/user/id");
        assertThat(ttl(profile(h, identified))).as("an identified profile never expires").isNull();
        assertThat(ttl(pointer(h, identified))).isNull();
    }

    @Test
    void aReturningLoginPushesTheExpiryBackOnceADayAndOnlyTheDeviceInBetween() {
        Harness h = new Harness();
        String userId = h.login("kiosk", "").text("/user/id");
        long first = h.now() + DAYS_30;

        h.clock.advance(Duration.ofHours(5));
        h.recorder.reset();
        assertThat(h.login("kiosk", "").text("/user/id")).isEqualTo(userId);
        assertThat(h.recorder.operations()).as("within the day: the device's item alone").doesNotContain("TransactWriteItems");
        assertThat(ttl(profile(h, userId))).isEqualTo(first);
        assertThat(ttl(device(h, "kiosk"))).isEqualTo(h.now() + DAYS_30);

        h.clock.advance(Duration.ofDays(2));
        assertThat(h.login("kiosk", "").text("/user/id")).isEqualTo(userId);
        assertThat(ttl(profile(h, userId))).isEqualTo(h.now() + DAYS_30);
        assertThat(ttl(pointer(h, userId))).isEqualTo(h.now() + DAYS_30);
    }

    @Test
    void theInactivityPeriodIsTheApps() {
        Harness h = new Harness(s -> s.withAnonymousLimits(Duration.ofDays(7), 100));
        String userId = h.login("kiosk", "").text("/user/id");
        assertThat(ttl(profile(h, userId))).isEqualTo(h.now() + Duration.ofDays(7).toSeconds());
    }

    @Test
    void anAnonymousUsersAttributesPushItBackAndExpireWithIt() {
        Harness h = new Harness();
        Response login = h.login("kiosk", "");
        String userId = login.text("/user/id");
        h.clock.advance(Duration.ofHours(3));
        Response applied = h.attributes(login.text("/session_token"), "{\"updates\":[{\"type\":\"global\",\"attributes\":{\"first_name\":\"Ann\"}},"
                + "{\"type\":\"app\",\"attributes\":{\"app_version\":\"1.0\"}}]}");
        assertThat(applied.status()).isEqualTo(200);
        assertThat(ttl(profile(h, userId))).isEqualTo(h.now() + DAYS_30);
        assertThat(ttl(h.appItem(userId))).isEqualTo(h.now() + DAYS_30);

        String known = h.sessionFor("phone", "uid", "known");
        h.attributes(known, "{\"updates\":[{\"type\":\"app\",\"attributes\":{\"app_version\":\"2.0\"}}]}");
        String knownId = h.session(known).text("/user/id");
        assertThat(ttl(h.appItem(knownId))).as("an identified user's data never expires").isNull();
    }

    @Test
    void aMergedAnonymousUserStopsExpiring() {
        Harness h = new Harness(s -> s.withAnonymousPolicy(AnonymousPolicy.MERGE));
        String anonymous = h.login("tablet", "").text("/user/id");
        String identified = h.login("tablet", h.identitiesToken("uid", "merged-into")).text("/user/id");
        Map<String, AttributeValue> merged = profile(h, anonymous);
        assertThat(merged.get("merged_into").s()).isEqualTo(identified);
        assertThat(ttl(merged)).isNull();
        assertThat(ttl(profile(h, identified))).isNull();
        assertThat(ttl(device(h, "tablet"))).as("the device is the identified user's now: the identified devices' 90 days")
                .isEqualTo(h.now() + Duration.ofDays(90).toSeconds());
    }

    @Test
    void newAnonymousDevicesArePerSourceIpAndAppAndReturningDevicesPayNothing() {
        Harness h = new Harness(s -> s.withAnonymousLimits(Duration.ofDays(30), 3));
        for (int device = 1; device <= 3; device++) {
            assertThat(anonymous(h, "d" + device, "203.0.113.7").status()).isEqualTo(200);
        }
        Response refused = anonymous(h, "d4", "203.0.113.7");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.reason()).isEqualTo("RATE_LIMITED");
        assertThat(refused.text("/details/problem")).isEqualTo("NEW_ANONYMOUS_DEVICES");
        assertThat(refused.body().at("/details/limitPerHour").asInt()).isEqualTo(3);
        long retryAfter = Long.parseLong(refused.headers().get("retry-after"));
        assertThat(retryAfter).isBetween(1L, 3600L);
        assertThat(h.storedItems()).noneMatch(i -> i.get("pk").s().equals(SessionStore.deviceKey(h.app.appId(), "d4")));

        h.recorder.reset();
        assertThat(anonymous(h, "d5", "203.0.113.7").status()).isEqualTo(429);
        assertThat(h.recorder.operations()).as("a known flood is refused after the read, with no write").containsExactly("BatchGetItem");

        assertThat(anonymous(h, "d1", "203.0.113.7").status()).as("a returning device").isEqualTo(200);
        assertThat(anonymous(h, "d6", "198.51.100.2").status()).as("another address").isEqualTo(200);
        assertThat(h.login(ApiEvents.login(h.app.appId()).sourceIp("203.0.113.7").body(Json.write(Json.object()
                .put("identity_token", h.identitiesToken("uid", "someone")).put("device_id", "d7")))).status())
                .as("identified logins are not counted").isEqualTo(200);
        assertThat(h.storedItems().stream().filter(i -> i.get("pk").s().contains("#ANONIP#")).map(i -> i.get("pk").s()))
                .as("the address is kept as a digest only").allSatisfy(pk -> assertThat(pk).doesNotContain("203.0.113.7"));

        h.clock.advance(Duration.ofSeconds(retryAfter));
        assertThat(anonymous(h, "d8", "203.0.113.7").status()).as("the next hour").isEqualTo(200);
    }

    @Test
    void anIpv6AddressCountsAsItsSlash64AndAConcurrentNewDeviceIsNotARefusal() throws Exception {
        Harness h = new Harness(s -> s.withAnonymousLimits(Duration.ofDays(30), 1));
        assertThat(anonymous(h, "v6-1", "2001:db8:1:2::10").status()).isEqualTo(200);
        assertThat(anonymous(h, "v6-2", "2001:db8:1:2:ffff::99").status()).as("the same /64").isEqualTo(429);
        assertThat(anonymous(h, "v6-3", "2001:db8:1:3::10").status()).as("another /64").isEqualTo(200);

        Harness nat = new Harness(s -> s.withAnonymousLimits(Duration.ofDays(30), 50));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Response>> logins = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int device = i;
                logins.add(pool.submit(() -> anonymous(nat, "nat-" + device, "192.0.2.50")));
            }
            for (java.util.concurrent.Future<Response> login : logins) {
                assertThat(login.get().status()).as("devices behind one NAT at once, far below the limit").isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theAllowanceCounterExpires() {
        Harness h = new Harness();
        anonymous(h, "d1", "203.0.113.9");
        List<Map<String, AttributeValue>> counters = h.storedItems().stream().filter(i -> i.get("pk").s().contains("#ANONIP#")).toList();
        assertThat(counters).hasSize(1);
        long hour = h.now() / 3600;
        assertThat(counters.get(0).get("n").n()).isEqualTo("1");
        assertThat(ttl(counters.get(0))).isEqualTo((hour + 2) * 3600);
    }
}
