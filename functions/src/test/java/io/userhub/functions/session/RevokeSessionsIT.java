package io.userhub.functions.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.functions.support.Harness;
import io.userhub.functions.support.Harness.Response;
import io.userhub.testkit.DynamoDbLocalExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Revocation for an incident: every session issued before an instant ends, with one write, within the app cache's lifetime. */
@ExtendWith(DynamoDbLocalExtension.class)
class RevokeSessionsIT {

    @Test
    void everySessionIssuedBeforeTheInstantEndsOnEverySessionRouteWithinTheAppCache() {
        Harness h = new Harness();
        String phone = h.sessionFor("phone", "uid", "ada");
        String kiosk = h.login("kiosk", "").text("/session_token");
        h.clock.advance(Duration.ofSeconds(30));
        String cutoff = h.clock.instant().toString();
        h.clock.advance(Duration.ofSeconds(30));
        String later = h.sessionFor("laptop", "uid", "bob");

        h.recorder.reset();
        Response revoked = h.revokeSessions("{\"issued_before\":\"" + cutoff + "\"}", h.app.apiKey());
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.text("/sessions_issued_before")).isEqualTo(cutoff);
        assertThat(revoked.body().at("/effective_within_seconds").asInt()).isEqualTo(60);
        assertThat(h.recorder.operations()).as("one write of the app's item and the audit record, whatever the sessions")
                .containsExactlyInAnyOrder("UpdateItem", "PutItem");

        h.clock.advance(Duration.ofSeconds(61));
        for (String token : List.of(phone, kiosk)) {
            Response session = h.session(token);
            assertThat(session.status()).isEqualTo(401);
            assertThat(session.reason()).isEqualTo("SESSION_INVALID");
            assertThat(session.text("/details/problem")).isEqualTo("REVOKED");
            Response update = h.attributes(token, "{\"updates\":[{\"type\":\"app\",\"attributes\":{\"app_version\":\"9\"}}]}");
            assertThat(update.text("/details/problem")).isEqualTo("REVOKED");
            assertThat(h.addIdentities(token, h.identitiesToken("email", "x@example.com")).text("/details/problem")).isEqualTo("REVOKED");
        }
        assertThat(h.session(later).status()).as("issued after the instant").isEqualTo(200);
        assertThat(h.sessionFor("phone", "uid", "ada")).as("a new login works at once").isNotBlank();

        JsonNode record = records(h.appAudit("kind", "settings_changed")).get(0);
        assertThat(record.at("/details/action").asText()).isEqualTo("sessions_revoked");
        assertThat(record.at("/details/issued_before").asText()).isEqualTo(cutoff);
    }

    @Test
    void aRevocationOnlyMovesForwardAndDefaultsToNow() {
        Harness h = new Harness();
        String now = java.time.Instant.ofEpochSecond(h.now() + 1).toString();
        assertThat(h.revokeSessions(null, h.app.apiKey()).text("/sessions_issued_before"))
                .as("the next second: a session of this very second ends too").isEqualTo(now);
        Response earlier = h.revokeSessions("{\"issued_before\":\"2020-01-01T00:00:00Z\"}", h.app.apiKey());
        assertThat(earlier.status()).isEqualTo(200);
        assertThat(earlier.text("/sessions_issued_before")).as("the later instant stays in force").isEqualTo(now);
        assertThat(earlier.body().at("/changed").asBoolean(true)).isFalse();
    }

    @Test
    void badInstantsAndCredentialsAreRefusedAndWriteNothing() {
        Harness h = new Harness();
        String future = h.clock.instant().plus(Duration.ofHours(1)).toString();
        for (String body : List.of("{\"issued_before\":\"" + future + "\"}", "{\"issued_before\":\"yesterday\"}",
                "{\"issued_before\":5}", "{\"issued_before\":\"+1000000000-12-31T23:59:59Z\"}", "{\"issued_before\":\"1960-01-01T00:00:00Z\"}")) {
            Response refused = h.revokeSessions(body, h.app.apiKey());
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.body().path("errors").has("issued_before")).as(body).isTrue();
        }
        assertThat(h.revokeSessions(null, "uh_not_the_key").status()).isEqualTo(401);
        Harness other = new Harness();
        assertThat(h.revokeSessions(null, other.app.apiKey()).status()).as("another app's key").isEqualTo(401);
        assertThat(h.appStore.find(h.app.appId()).orElseThrow().sessionsRevokedBefore()).isZero();
    }

    private static List<JsonNode> records(Response page) {
        List<JsonNode> records = new ArrayList<>();
        page.body().path("records").forEach(records::add);
        return records;
    }
}
