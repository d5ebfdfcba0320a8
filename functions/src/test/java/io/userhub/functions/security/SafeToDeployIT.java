package io.userhub.functions.security;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.testkit.ApiEvents;
import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.testkit.TestTokens;
import io.userhub.functions.support.Harness;
import io.userhub.functions.support.Harness.Response;
import io.userhub.shared.json.Json;
import io.userhub.shared.model.LoginMode;
import io.userhub.shared.model.UserIdVerification;
import io.userhub.shared.store.SessionStore;
import io.userhub.shared.token.UserIdSignatures;
import io.userhub.shared.validation.Limits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The findings of the pre-deployment review, each a test that failed before its fix. */
@ExtendWith(DynamoDbLocalExtension.class)
class SafeToDeployIT {

    private static Harness allModes(UserIdVerification verification) {
        return new Harness(s -> s.withLoginModes(EnumSet.allOf(LoginMode.class)).withUserIdVerification(verification));
    }

    private static Response userIdLogin(Harness h, String device, String userId, String securityHash) {
        ObjectNode body = Json.object().put("device_id", device);
        ObjectNode user = body.putObject("user").put("user_id", userId);
        if (securityHash != null) {
            user.put("security_hash", securityHash);
        }
        return h.login(body);
    }

    // ---- 1. user-id mode takeover -----------------------------------------------------------

    @Test
    void anUnsignedUserIdLoginNeverReachesTheProfileASignedLoginMade() {
        Harness h = allModes(UserIdVerification.NONE);
        Response victim = h.login("victim-phone", h.identitiesToken("uid", "X", "email", "victim@example.com"));
        assertThat(victim.status()).isEqualTo(200);

        Response attacker = userIdLogin(h, "attacker", "X", null);

        assertThat(attacker.status()).isEqualTo(200);
        assertThat(attacker.headers()).containsEntry("cache-control", "no-store").containsEntry("x-content-type-options", "nosniff");
        assertThat(attacker.text("/user/id")).isNotEqualTo(victim.text("/user/id"));
        assertThat(attacker.body().at("/user/identities/0/identifier").asText()).isEqualTo("unverified_uid");
        Response attackersView = h.session(attacker.text("/session_token"));
        assertThat(attackersView.body().toString()).doesNotContain("victim@example.com");
        // and the reverse: a signed login for X does not land on the unverified profile
        Response signedAgain = h.login("victim-laptop", h.identitiesToken("uid", "X"));
        assertThat(signedAgain.text("/user/id")).isEqualTo(victim.text("/user/id"));
    }

    @Test
    void withHmacVerificationTheSecurityHashMustBeTheBackendsHmacAndThenReachesTheSignedProfile() {
        Harness h = allModes(UserIdVerification.HMAC);
        Response signed = h.login("phone", h.identitiesToken("uid", "hc-9", "email", "nine@example.com"));

        assertThat(userIdLogin(h, "web", "hc-9", null).status()).isEqualTo(403);
        Response forged = userIdLogin(h, "web", "hc-9", "0".repeat(64));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.reason()).isEqualTo("SECURITY_HASH_MISMATCH");
        assertThat(userIdLogin(h, "web", "hc-9", UserIdSignatures.sign(h.app.secret(), "hc-1")).status())
                .as("the HMAC of another user id").isEqualTo(403);

        Response verified = userIdLogin(h, "web", "hc-9", UserIdSignatures.sign(h.app.secret(), "hc-9"));
        assertThat(verified.status()).isEqualTo(200);
        assertThat(verified.text("/user/id")).isEqualTo(signed.text("/user/id"));
    }

    // ---- 2. erase is linearizable against logins ---------------------------------------------

    @Test
    void afterEraseAnswersNoSessionOfTheErasedUserAuthenticatesWhateverRanConcurrently() throws Exception {
        for (int run = 0; run < 3; run++) {
            Harness h = new Harness();
            String token = h.identitiesToken("uid", "erase-me", "email", "erase-me@example.com");
            Response first = h.login("d-first", token);
            String erasedId = first.text("/user/id");
            ExecutorService pool = Executors.newFixedThreadPool(8);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> logins = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String device = "d-" + i;
                logins.add(pool.submit(() -> {
                    start.await();
                    return h.login(device, token);
                }));
            }
            Future<Response> erase = pool.submit(() -> {
                start.await();
                Thread.sleep(5);
                return h.erase(erasedId);
            });
            start.countDown();
            assertThat(erase.get().status()).isEqualTo(200);

            List<String> sessionsOfErased = new ArrayList<>();
            sessionsOfErased.add(first.text("/session_token"));
            for (Future<Response> login : logins) {
                Response r = login.get();
                if (r.status() == 200 && r.text("/user/id").equals(erasedId)) {
                    sessionsOfErased.add(r.text("/session_token"));
                }
            }
            pool.shutdown();
            for (String session : sessionsOfErased) {
                Response read = h.session(session);
                assertThat(read.status()).as("run %d: a session of the erased user", run).isEqualTo(401);
            }
            assertThat(h.lookup("uid", "erase-me").status() == 404
                    || !h.lookup("uid", "erase-me").text("/user/id").equals(erasedId)).isTrue();
        }
    }

    // ---- 4. identity values that only look equal ----------------------------------------------

    @Test
    void identityValuesWithControlOrFormatCharactersOrAsciiLookAlikesAreRefusedAndWriteNothing() {
        Harness h = new Harness();
        h.login("victim", h.identitiesToken("uid", "victim", "email", "victim@example.com"));
        int itemsBefore = h.storedItemsBesidesAudit().size();
        for (String lookalike : List.of("\u0000victim@example.com", "victim@example.com\u000B", "\u001Fvictim@example.com",
                "victim@example.com\u200B", "\uFEFFvictim@example.com", "victim@exampl\u0435.com".replace("\u0435", "\u212A"),
                "\u212Aelvin@example.com", "victim@ex\uFF41mple.com", "victim\u2003@example.com")) {
            Response r = h.login("attacker", h.identitiesToken("uid", "attacker", "email", lookalike));
            assertThat(r.status()).as(lookalike).isEqualTo(400);
            assertThat(r.reason()).isEqualTo("IDENTITIES_DATA_INVALID");
            assertThat(r.text("/errors/email")).isEqualTo("INVALID_VALUE");
        }
        Response nulInUid = h.login("attacker", h.identitiesToken("uid", "victim\u0000"));
        assertThat(nulInUid.text("/errors/uid")).isEqualTo("INVALID_VALUE");
        assertThat(h.storedItemsBesidesAudit()).hasSize(itemsBefore);

        // The documented rule: NFC, ASCII case-insensitive, surrounding ASCII spaces trimmed.
        Response sameEmail = h.login("other", h.identitiesToken("email", "  VICTIM@Example.COM "));
        assertThat(sameEmail.status()).isEqualTo(200);
        assertThat(sameEmail.text("/user/id")).isEqualTo(h.lookup("email", "victim@example.com").text("/user/id"));
        String decomposed = "jose\u0301@example.com";
        Response composedFirst = h.login("c1", h.identitiesToken("email", "jos\u00E9@example.com"));
        assertThat(h.login("c2", h.identitiesToken("email", decomposed)).text("/user/id")).isEqualTo(composedFirst.text("/user/id"));
    }

    // ---- 8. tokens the operator and the routes let through ------------------------------------

    @Test
    void appScopeTokensMustCarryExpAndLiveAtMostFiveMinutes() {
        Harness h = new Harness();
        String noExp = h.token("{\"scope\":\"app\",\"iat\":" + h.now() + "}");
        String longLived = h.token("{\"scope\":\"app\",\"iat\":" + h.now() + ",\"exp\":" + (h.now() + 3600) + "}");
        String old = h.token("{\"scope\":\"app\",\"iat\":" + (h.now() - 3600) + ",\"exp\":" + (h.now() - 3400) + "}");
        String good = h.token("{\"scope\":\"app\",\"iat\":" + h.now() + ",\"exp\":" + (h.now() + 300) + "}");
        h.login("d", h.identitiesToken("uid", "someone", "email", "someone@example.com"));
        for (String refused : List.of(noExp, longLived, old)) {
            Response r = h.lookup("email", "someone@example.com", refused);
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.reason()).isEqualTo("UNAUTHORIZED");
        }
        assertThat(h.lookup("email", "someone@example.com", good).status()).isEqualTo(200);
    }

    @Test
    void externalIdTokensNeedAnIatWithinTheMaxAge() {
        Harness h = new Harness(s -> s.withLoginModes(EnumSet.allOf(LoginMode.class)));
        String header = "{\"alg\":\"HS256\",\"kid\":\"" + h.app.kid() + "\"}";
        String noIat = TestTokens.sign(header, "{\"scope\":\"user\",\"external_id\":\"e-1\"}", "HmacSHA256", h.app.secret());
        String oldIat = TestTokens.sign(header, "{\"scope\":\"user\",\"external_id\":\"e-1\",\"iat\":" + (h.now() - 86_401) + "}",
                "HmacSHA256", h.app.secret());
        ObjectNode body = Json.object().put("external_id", "e-1").put("device_id", "d");
        assertThat(h.login(body.deepCopy().put("jwt", noIat)).reason()).isEqualTo("IAT_IS_MANDATORY");
        assertThat(h.login(body.deepCopy().put("jwt", oldIat)).body().at("/details/cause").asText()).isEqualTo("TOO_OLD");
    }

    @Test
    void aLoginEndsTheSessionItsAuthorizationNamesOnlyOnTheSameDevice() {
        Harness h = new Harness();
        String victimSession = h.sessionFor("victim-phone", "uid", "victim", "email", "v@example.com");
        String ownSession = h.sessionFor("my-phone", "uid", "me");

        Response other = h.login(ApiEvents.login(h.app.appId()).bearer(victimSession)
                .body(Json.write(Json.object().put("identity_token", h.identitiesToken("uid", "me")).put("device_id", "my-phone"))));
        assertThat(other.status()).isEqualTo(200);
        assertThat(h.session(victimSession).status()).as("another device's session survives").isEqualTo(200);

        Response same = h.login(ApiEvents.login(h.app.appId()).bearer(other.text("/session_token"))
                .body(Json.write(Json.object().put("identity_token", h.identitiesToken("uid", "me")).put("device_id", "my-phone"))));
        assertThat(same.status()).isEqualTo(200);
        assertThat(h.session(other.text("/session_token")).status()).isEqualTo(401);
        assertThat(h.session(ownSession).status()).isEqualTo(401);
    }

    // ---- 9. items that grow without bound -----------------------------------------------------

    @Test
    void profileTagsStopAtTheCapAndTheItemStaysBounded() {
        Harness h = new Harness(s -> s.withUpdatesPerMinute(1000));
        String session = h.sessionFor("d", "uid", "tagger");
        String userId = h.session(session).text("/user/id");
        int refusedAt = -1;
        for (int batch = 0; batch < 40; batch++) {
            StringBuilder tags = new StringBuilder();
            for (int t = 0; t < 30; t++) {
                tags.append(t == 0 ? "" : ",").append("\"tag-").append(batch).append('-').append(t).append("-").append("x".repeat(40)).append('"');
            }
            Response r = h.attributes(session, "{\"updates\":[{\"type\":\"global\",\"attributes\":{\"new_tags\":[" + tags + "]}}]}");
            if (r.status() != 200) {
                assertThat(r.status()).isEqualTo(400);
                assertThat(r.reason()).isEqualTo("TAGS_LIMIT_EXCEEDED");
                assertThat(r.body().at("/details/maxTagsAllowed").asInt()).isEqualTo(Limits.PROFILE_TAGS_MAX);
                refusedAt = refusedAt < 0 ? batch : refusedAt;
            }
        }
        Map<String, AttributeValue> profile = h.profileItem(userId);
        assertThat(refusedAt).isEqualTo(3);
        assertThat(profile.get("tags").m()).hasSize(90);
        // re-adding tags the profile has, and removing some to make room, still works at the cap
        assertThat(h.attributes(session, "{\"updates\":[{\"type\":\"global\",\"attributes\":{\"new_tags\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\"]}}]}").status()).isEqualTo(200);
        assertThat(h.attributes(session, "{\"updates\":[{\"type\":\"global\",\"attributes\":{\"new_tags\":[\"a\",\"k\"],\"tags_to_remove\":[\"b\"]}}]}").status()).isEqualTo(200);
        assertThat(h.profileItem(userId).get("tags").m()).hasSize(100);
        assertThat(h.attributes(session, "{\"updates\":[{\"type\":\"global\",\"attributes\":{\"new_tags\":[\"one-too-many\"]}}]}").reason())
                .isEqualTo("TAGS_LIMIT_EXCEEDED");
        assertThat(h.profileItem(userId).toString().length()).isLessThan(12_000);
    }

    @Test
    void identityHistoryKeepsTheLastFiftyMoves() {
        Harness h = new Harness();
        String a = h.login("da", h.identitiesToken("uid", "hist-a")).text("/user/id");
        String b = h.login("db", h.identitiesToken("uid", "hist-b")).text("/user/id");
        for (int move = 0; move < 40; move++) {
            h.clock.advance(Duration.ofSeconds(2));
            h.login("da", h.identitiesToken("uid", "hist-a", "phone_number", "+1555000"));
            h.clock.advance(Duration.ofSeconds(2));
            h.login("db", h.identitiesToken("uid", "hist-b", "phone_number", "+1555000"));
        }
        for (String user : List.of(a, b)) {
            List<AttributeValue> history = h.profileItem(user).get("identity_history").l();
            assertThat(history).hasSize(Limits.IDENTITY_HISTORY_MAX);
            assertThat(Long.parseLong(history.get(history.size() - 1).m().get("at").n()))
                    .as("the newest move is kept").isEqualTo(h.now());
        }
    }

    @Test
    void theRateLimitKeepsOneCounterOnTheSessionAndDevicesExpire() {
        Harness h = new Harness();
        String session = h.sessionFor("rl-device", "uid", "rate");
        for (int minute = 0; minute < 30; minute++) {
            h.clock.advance(Duration.ofMinutes(3));
            assertThat(h.attributes(session, "{\"updates\":[{\"type\":\"app\",\"attributes\":{\"app_version\":\"" + minute + "\"}}]}").status())
                    .isEqualTo(200);
        }
        Map<String, AttributeValue> item = h.storedItems().stream().filter(i -> i.containsKey("session_id")).findFirst().orElseThrow();
        assertThat(item.keySet().stream().filter(k -> k.startsWith("rl_"))).containsExactlyInAnyOrder("rl_w", "rl_n");
        assertThat(item.get("rl_w").n()).isEqualTo(String.valueOf(h.now() / 60));

        Map<String, AttributeValue> device = h.storedItems().stream()
                .filter(i -> i.get("pk").s().equals(SessionStore.deviceKey(h.app.appId(), "rl-device"))).findFirst().orElseThrow();
        assertThat(Long.parseLong(device.get("ttl").n())).isGreaterThan(h.now()).isLessThanOrEqualTo(h.now() + Duration.ofDays(90).toSeconds());
    }

    @Test
    void theRateLimitStillCountsWithinAMinute() {
        Harness h = new Harness(s -> s.withUpdatesPerMinute(3));
        String session = h.sessionFor("rl2", "uid", "rate2");
        List<Integer> statuses = IntStream.range(0, 5).mapToObj(i -> h.attributes(session,
                "{\"updates\":[{\"type\":\"app\",\"attributes\":{\"app_version\":\"" + i + "\"}}]}").status()).toList();
        assertThat(statuses).containsExactly(200, 200, 200, 429, 429);
        h.clock.advance(Duration.ofSeconds(60));
        assertThat(h.attributes(session, "{\"updates\":[{\"type\":\"app\",\"attributes\":{\"app_version\":\"x\"}}]}").status()).isEqualTo(200);
        // another function instance whose clock is still in the previous minute is not refused for this one's
        h.clock.advance(Duration.ofSeconds(-1));
        assertThat(h.attributes(session, "{\"updates\":[{\"type\":\"app\",\"attributes\":{\"app_version\":\"y\"}}]}").status()).isEqualTo(200);
    }
}
