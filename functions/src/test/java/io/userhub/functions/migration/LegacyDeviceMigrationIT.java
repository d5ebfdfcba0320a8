package io.userhub.functions.migration;

import io.userhub.functions.support.Harness;
import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.store.Items;
import io.userhub.shared.store.Keys;
import io.userhub.shared.store.LegacyDeviceMigration;
import io.userhub.testkit.DynamoDbLocalExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tables written by the first layout (a device item in the users table, a session item per
 * token, a pointer per session) keep working under the device layout, and the operator's one-shot
 * migration carries each device over: its anonymous user stays, its old session ends with its
 * next login, and erase still reaches it.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class LegacyDeviceMigrationIT {
    private final Harness h = Harness.isolated();

    /** What the first layout wrote for a device's login: the device, the session, the user's pointer to it. */
    private String seedFirstLayoutLogin(String deviceId, String userId, boolean anonymous) {
        String token = h.app.appId() + "." + Hashing.randomToken();
        String sessionKey = Keys.legacySession(h.app.appId(), Hashing.sha256Hex(token));
        long now = h.now();
        Map<String, AttributeValue> session = new HashMap<>(Items.key(sessionKey));
        session.put("session_id", Items.s(Hashing.randomId()));
        session.put("app_id", Items.s(h.app.appId()));
        session.put("domain_id", Items.s(h.app.domainId()));
        session.put("user_id", Items.s(userId));
        session.put("device_id", Items.s(deviceId));
        session.put("user_key", Items.s(Keys.profile(h.app.domainId(), userId)));
        session.put("state", Items.s("ACTIVE"));
        session.put("anonymous", Items.bool(anonymous));
        session.put("full_privacy", Items.bool(false));
        session.put("created_at", Items.n(now));
        session.put("expires_at", Items.n(now + 86_400));
        session.put("refresh_at", Items.n(now + 84_600));
        session.put("notice_shard", Items.s("due#3"));
        session.put("notice_due_at", Items.n(now + 84_600));
        session.put("ttl", Items.n(now + 2 * 86_400));
        session.put("rl_w", Items.n(now / 60));
        session.put("rl_n", Items.n(0));
        h.wiring.dynamo().putItem(b -> b.tableName(h.wiring.tables().sessions()).item(session));

        Map<String, AttributeValue> device = new HashMap<>(Items.key("A#" + h.app.appId() + "#DEV#" + Hashing.sha256Hex(deviceId), Keys.DEVICE));
        device.put("version", Items.n(3));
        device.put("ttl", Items.n(now + Duration.ofDays(90).toSeconds()));
        device.put("session_key", Items.s(sessionKey));
        device.put("last_user_id", Items.s(userId));
        if (anonymous) {
            device.put("anon_user_id", Items.s(userId));
        }
        h.wiring.dynamo().putItem(b -> b.tableName(h.wiring.tables().users()).item(device));
        h.wiring.dynamo().putItem(b -> b.tableName(h.wiring.tables().users()).item(Map.of(
                "pk", Items.s(Keys.profile(h.app.domainId(), userId)),
                "sk", Items.s("SESSION#" + Hashing.sha256Hex(sessionKey)),
                "session_key", Items.s(sessionKey),
                "ttl", Items.n(now + 2 * 86_400))));
        return token;
    }

    private LegacyDeviceMigration.Report migrate() {
        return new LegacyDeviceMigration(h.wiring.dynamo(), h.wiring.tables().users(), h.wiring.tables().sessions()).migrate();
    }

    @Test
    void aMigratedDeviceKeepsItsAnonymousUserAndItsOldSessionEndsWithItsNextLogin() {
        String anonymous = h.login("seed-device", "").text("/user/id");
        String oldToken = seedFirstLayoutLogin("old-phone", anonymous, true);
        // the first layout's token still works under the new code, and the user's sessions list it
        assertThat(h.session(oldToken).status()).isEqualTo(200);
        assertThat(h.attributes(oldToken, "{\"updates\":[{\"type\":\"app\",\"attributes\":{\"v\":\"1\"}}]}").status()).isEqualTo(200);
        assertThat(h.lookup("user_id", anonymous).body().at("/sessions").size()).isEqualTo(2);

        assertThat(migrate()).isEqualTo(new LegacyDeviceMigration.Report(1, 0, 0));
        assertThat(h.storedItems()).noneMatch(item -> Keys.DEVICE.equals(item.containsKey("sk") ? item.get("sk").s() : null));
        assertThat(h.session(oldToken).status()).as("valid until the device logs in again").isEqualTo(200);

        Harness.Response next = h.login("old-phone", "");
        assertThat(next.text("/user/id")).isEqualTo(anonymous);
        assertThat(h.session(oldToken).status()).isEqualTo(401);
        String newToken = next.text("/session_token");
        assertThat(h.session(newToken).status()).isEqualTo(200);
        assertThat(migrate()).as("a second run finds nothing").isEqualTo(new LegacyDeviceMigration.Report(0, 0, 0));

        // the migrated device's login wrote the user's pointer to the device's item: erase reaches it
        assertThat(h.erase(anonymous).status()).isEqualTo(200);
        assertThat(h.session(newToken).status()).isEqualTo(401);
    }

    @Test
    void aDeviceThatLoggedInOnTheNewLayoutBeforeTheMigrationLosesItsOldSessionThen() {
        String user = h.login("seed-device", h.identitiesToken("uid", "early")).text("/user/id");
        String oldToken = seedFirstLayoutLogin("both", user, false);
        String newToken = h.sessionFor("both", "uid", "early");
        assertThat(h.session(oldToken).status()).isEqualTo(200);

        assertThat(migrate()).isEqualTo(new LegacyDeviceMigration.Report(0, 1, 1));
        assertThat(h.session(oldToken).status()).isEqualTo(401);
        assertThat(h.session(newToken).status()).isEqualTo(200);
    }

    @Test
    void aLoginCarryingATokenOfTheFirstLayoutEndsThatSessionIfItIsThisDevices() {
        String user = h.login("seed-device", h.identitiesToken("uid", "carrier")).text("/user/id");
        String oldToken = seedFirstLayoutLogin("laptop", user, false);
        String elsewhere = seedFirstLayoutLogin("desktop", user, false);

        assertThat(h.login(io.userhub.testkit.ApiEvents.login(h.app.appId()).bearer(oldToken)
                .body("{\"identity_token\":\"" + h.identitiesToken("uid", "carrier") + "\",\"device_id\":\"laptop\"}")).status()).isEqualTo(200);
        assertThat(h.session(oldToken).status()).isEqualTo(401);
        assertThat(h.login(io.userhub.testkit.ApiEvents.login(h.app.appId()).bearer(elsewhere)
                .body("{\"identity_token\":\"" + h.identitiesToken("uid", "carrier") + "\",\"device_id\":\"laptop\"}")).status()).isEqualTo(200);
        assertThat(h.session(elsewhere).status()).as("another device's session is left alone").isEqualTo(200);
    }

    @Test
    void aSessionOfTheFirstLayoutStillGetsItsNoticeFromTheFirstLayoutsIndex() {
        String user = h.login("seed-device", h.identitiesToken("uid", "noticed")).text("/user/id");
        String oldToken = seedFirstLayoutLogin("old-tablet", user, false);
        h.clock.advance(Duration.ofHours(25));
        io.userhub.functions.support.RecordingPublisher publisher = new io.userhub.functions.support.RecordingPublisher();
        io.userhub.shared.store.SessionStore sessions = new io.userhub.shared.store.SessionStore(h.wiring.dynamo(), h.wiring.tables().sessions());

        io.userhub.functions.notices.NoticeSweep.Report report = new io.userhub.functions.notices.NoticeSweep(sessions, publisher, h.clock,
                h.wiring.parallel()).run(io.userhub.shared.notice.NoticeKind.EXPIRY, 100, () -> true);

        assertThat(report.notified()).isEqualTo(2);
        assertThat(publisher.published).extracting(io.userhub.shared.notice.Notice::deviceId).containsExactlyInAnyOrder("seed-device", "old-tablet");
        assertThat(sessions.find(io.userhub.shared.session.SessionTokens.parse(oldToken).orElseThrow()).orElseThrow().state())
                .isEqualTo(io.userhub.shared.model.SessionState.EXPIRED);
    }
}
