package io.userhub.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.functions.notices.RefreshNotifierHandler;
import io.userhub.functions.support.Harness;
import io.userhub.functions.support.RecordingPublisher;
import io.userhub.shared.json.Json;
import io.userhub.shared.observability.JsonLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every request leaves one JSON line with request id, route, app id, status, outcome, reason and
 * latency, carrying EMF metrics; notifier runs leave theirs; no line holds a secret, a token or a
 * raw identity value.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class ObservabilityIT {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    @AfterEach
    void quietAgain() {
        JsonLog.sinkTo(line -> { });
    }

    @Test
    void requestLinesCarryTheFieldsOperatorsNeedAndNoSecret() {
        JsonLog.sinkTo(lines::add);
        Harness h = new Harness();
        ObjectNode mint = Json.object();
        mint.putArray("identities").addObject().put("identifier", "email").put("value", "secret.person@example.com");
        mint.withArray("identities").addObject().put("identifier", "uid").put("value", "uid-visible-nowhere");
        String token = h.mint(mint).text("/token");
        String session = h.login("device-xyz", token).text("/session_token");
        h.attributes(session, "{\"updates\":[{\"type\":\"global\",\"attributes\":{\"first_name\":\"Privata\"}}]}");
        h.lookup("email", "secret.person@example.com");
        h.login("device-xyz", "not.a.token");
        h.session("demo.forged-session-token-value");

        List<JsonNode> requests = parsed().stream().filter(l -> "request".equals(l.path("message").asText())).toList();
        assertThat(requests).hasSize(6);
        for (JsonNode line : requests) {
            assertThat(line.path("request_id").asText()).isNotBlank();
            assertThat(line.path("Route").asText()).isNotBlank();
            assertThat(line.has("status") && line.has("Outcome") && line.has("Reason") && line.has("Latency")).isTrue();
            assertThat(line.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("userhub");
        }
        JsonNode refused = requests.get(4);
        assertThat(refused.path("Route").asText()).isEqualTo("POST /v1/apps/{appId}/login");
        assertThat(refused.path("app_id").asText()).isEqualTo(h.app.appId());
        assertThat(refused.path("Outcome").asText()).isEqualTo("rejected");
        assertThat(refused.path("Reason").asText()).isEqualTo("IDENTITY_TOKEN_INVALID");
        assertThat(requests.get(2).path("app_id").asText()).as("app of a session route, from the token's prefix").isEqualTo(h.app.appId());

        String all = String.join("\n", lines);
        for (String secret : List.of(token, session, h.app.apiKey(), h.app.secret(), "secret.person@example.com",
                "uid-visible-nowhere", "Privata", "forged-session-token-value")) {
            assertThat(all).doesNotContain(secret);
        }
    }

    @Test
    void notifierRunsPublishTheirCountsAsMetrics() {
        Harness h = Harness.isolated();
        h.sessionFor("phone", "uid", "notified");
        h.clock.advance(Duration.ofHours(24).minusMinutes(10));
        JsonLog.sinkTo(lines::add);
        Map<String, Object> summary = new RefreshNotifierHandler(h.wiring, new RecordingPublisher()).handleRequest(Map.of(), null);
        assertThat(summary).containsEntry("notified", 1);
        JsonNode run = parsed().stream().filter(l -> "notifier run".equals(l.path("message").asText())).findFirst().orElseThrow();
        assertThat(run.path("NoticesPublished").asInt()).isEqualTo(1);
        assertThat(run.path("NoticesFailed").asInt()).isZero();
        assertThat(run.at("/_aws/CloudWatchMetrics/0/Dimensions/0/0").asText()).isEqualTo("Kind");
    }

    private List<JsonNode> parsed() {
        return lines.stream().map(l -> (JsonNode) Json.parseObject(l).orElseThrow(() -> new AssertionError("not JSON: " + l))).toList();
    }
}
