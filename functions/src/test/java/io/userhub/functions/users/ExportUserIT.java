package io.userhub.functions.users;

import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.functions.support.Harness;
import io.userhub.functions.support.Harness.Response;
import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.testkit.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /v1/apps/{appId}/users/{userId}/export: everything userhub holds about a person, in one document. */
@ExtendWith(DynamoDbLocalExtension.class)
class ExportUserIT {

    @Test
    void theExportHoldsTheProfileTheDataOfEveryAppOfTheDomainAndEverySessionButNoToken() {
        Harness ios = new Harness();
        Harness web = new Harness(TestApps.create(ios.appStore, ios.app.domainId(), true, s -> s));
        String phone = ios.sessionFor("phone", "uid", "exported", "email", "exported@example.com");
        ios.attributes(phone, "{\"updates\":[{\"type\":\"global\",\"attributes\":{\"first_name\":\"Ada\",\"new_tags\":[\"vip\"]}},"
                + "{\"type\":\"app\",\"attributes\":{\"app_version\":\"2.4\"}}]}");
        web.clock.set(ios.clock.instant());
        String browser = web.sessionFor("browser", "uid", "exported");
        assertThat(web.attributes(browser, "{\"updates\":[{\"type\":\"app\",\"attributes\":{\"country\":\"DE\"}}]}").status())
                .isEqualTo(200);
        web.logout(browser);
        String userId = ios.session(phone).text("/user/id");

        Response export = ios.export(userId);

        assertThat(export.status()).isEqualTo(200);
        JsonNode body = export.body();
        assertThat(body.at("/user/id").asText()).isEqualTo(userId);
        assertThat(body.at("/user/identities").toString()).contains("exported@example.com");
        assertThat(body.at("/user/global/first_name").asText()).isEqualTo("Ada");
        assertThat(body.at("/user/tags").toString()).contains("vip");
        assertThat(body.at("/apps/" + ios.app.appId() + "/attributes/app_version").asText()).isEqualTo("2.4");
        assertThat(body.at("/apps/" + web.app.appId() + "/attributes/country").asText()).isEqualTo("DE");
        assertThat(body.at("/apps/" + ios.app.appId() + "/attributes/country").isMissingNode()).isTrue();
        assertThat(body.at("/sessions")).hasSize(2);
        assertThat(body.at("/sessions").findValuesAsText("state")).containsExactlyInAnyOrder("active", "logged_out");
        String text = body.toString();
        for (String token : new String[]{phone, browser, phone.substring(phone.lastIndexOf('.') + 1)}) {
            assertThat(text).doesNotContain(token);
        }
        assertThat(text).doesNotContain("secret_hash").doesNotContain("login_digest");
        // The audit records about the person, from every app of the domain: a login in each.
        assertThat(body.at("/audit").findValuesAsText("app_id")).containsExactlyInAnyOrder(ios.app.appId(), web.app.appId());
        assertThat(body.at("/audit").findValuesAsText("kind")).containsOnly("login");
    }

    @Test
    void anUnknownUserIsNotFoundAndTheRouteNeedsTheAppsCredentials() {
        Harness h = new Harness();
        String session = h.sessionFor("phone", "uid", "someone");
        String userId = h.session(session).text("/user/id");

        assertThat(h.export("0".repeat(32)).status()).isEqualTo(404);
        assertThat(h.export("not-a-user-id").status()).isEqualTo(404);
        Response refused = h.export(userId, session);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body().toString()).doesNotContain("someone");
        assertThat(h.erase(userId).status()).isEqualTo(200);
        assertThat(h.export(userId).status()).as("nothing left to export after an erase").isEqualTo(404);
    }

    @Test
    void anExpiredSessionIsExportedWithItsNotice() {
        Harness h = new Harness();
        String session = h.sessionFor("tablet", "uid", "noticed-user");
        String userId = h.session(session).text("/user/id");
        h.clock.advance(Duration.ofHours(25));
        new io.userhub.functions.notices.NoticeSweep(new io.userhub.shared.store.SessionStore(h.wiring.dynamo(), h.wiring.tables().sessions()),
                new io.userhub.functions.support.RecordingPublisher(), h.clock, h.wiring.parallel())
                .run(io.userhub.shared.notice.NoticeKind.EXPIRY, 100, () -> true);

        JsonNode sessions = h.export(userId).body().at("/sessions");
        assertThat(sessions).hasSize(1);
        assertThat(sessions.get(0).path("state").asText()).isEqualTo("expired");
        assertThat(sessions.get(0).at("/notices/0/type").asText()).isEqualTo("userSessionExpired");
    }
}
