package io.userhub.functions.notices;

import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.functions.support.Harness;
import io.userhub.functions.support.MotoServer;
import io.userhub.shared.config.AwsClients;
import io.userhub.shared.config.Environment;
import io.userhub.shared.json.Json;
import io.userhub.shared.model.SessionRecord;
import io.userhub.shared.eventbridge.EventBridgeNoticePublisher;
import io.userhub.shared.notice.Notice;
import io.userhub.shared.notice.NoticeKind;
import io.userhub.shared.session.SessionTokens;
import io.userhub.shared.store.SessionStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Notices published to a real EventBridge emulator (moto_server) and read back through a rule and an SQS queue. */
@ExtendWith(DynamoDbLocalExtension.class)
@ExtendWith(MotoServer.class)
class EventBridgeMotoIT {
    private EventBridgeClient events;
    private SqsClient sqs;
    private String bus;
    private String queueUrl;

    @BeforeEach
    void busRuleAndQueue() {
        Environment env = new Environment(Map.of("AWS_ENDPOINT_URL", MotoServer.endpoint().toString(), "AWS_REGION", "us-east-1"));
        events = AwsClients.eventBridge(env);
        sqs = SqsClient.builder().endpointOverride(MotoServer.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
        bus = "notices-" + UUID.randomUUID().toString().substring(0, 8);
        events.createEventBus(b -> b.name(bus));
        queueUrl = sqs.createQueue(b -> b.queueName(bus)).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        events.putRule(b -> b.name("all-notices").eventBusName(bus).eventPattern("{\"source\":[\"" + EventBridgeNoticePublisher.SOURCE + "\"]}"));
        events.putTargets(b -> b.rule("all-notices").eventBusName(bus).targets(Target.builder().id("queue").arn(queueArn).build()));
    }

    private List<JsonNode> delivered(int expected) {
        List<JsonNode> bodies = new ArrayList<>();
        for (int attempt = 0; attempt < 20 && bodies.size() < expected; attempt++) {
            for (Message message : sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                bodies.add(Json.parseObject(message.body()).orElseThrow());
            }
        }
        return bodies;
    }

    @Test
    void publishedNoticesArriveWithTheirDetailAndNoToken() {
        Notice notice = new Notice(NoticeKind.REFRESH, "app-1", "domain-1", "user-1", "session-1", "device-1", Instant.parse("2026-11-25T12:00:00Z"));
        assertThat(new EventBridgeNoticePublisher(events, bus).publish(List.of(notice))).containsExactly(true);

        List<JsonNode> delivered = delivered(1);
        assertThat(delivered).hasSize(1);
        JsonNode event = delivered.get(0);
        assertThat(event.get("detail-type").asText()).isEqualTo("refreshUserCredentials");
        assertThat(event.get("source").asText()).isEqualTo("userhub.sessions");
        assertThat(event.at("/detail/event_id").asText()).isEqualTo(notice.eventId());
        assertThat(event.at("/detail/app_id").asText()).isEqualTo("app-1");
        assertThat(event.at("/detail/user_id").asText()).isEqualTo("user-1");
        assertThat(event.at("/detail/session_id").asText()).isEqualTo("session-1");
        assertThat(event.at("/detail/device_id").asText()).isEqualTo("device-1");
        assertThat(event.at("/detail/expires_at").asText()).isEqualTo("2026-11-25T12:00:00Z");
    }

    @Test
    void theExpiryNotifierPublishesEachExpiredSessionOnce() {
        Harness h = Harness.isolated();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            tokens.add(h.sessionFor("device-" + i, "uid", "user-" + i));
        }
        h.clock.advance(Duration.ofHours(25));
        ExpiryNotifierHandler notifier = new ExpiryNotifierHandler(h.wiring, new EventBridgeNoticePublisher(events, bus));
        Map<String, Object> first = notifier.handleRequest(Map.of(), null);
        Map<String, Object> second = notifier.handleRequest(Map.of(), null);

        assertThat(first.get("notified")).isEqualTo(12);
        assertThat(second.get("notified")).isEqualTo(0);
        List<JsonNode> delivered = delivered(12);
        assertThat(delivered).hasSize(12);
        assertThat(delivered.stream().map(e -> e.at("/detail/session_id").asText()).distinct()).hasSize(12);
        String all = delivered.toString();
        tokens.forEach(token -> assertThat(all).doesNotContain(token).doesNotContain(token.substring(token.indexOf('.') + 1)));
    }

    @Test
    void anUnreachableEventBridgeLeavesSessionsUnmarkedForTheNextRun() throws Exception {
        Harness h = Harness.isolated();
        String token = h.sessionFor("phone", "uid", "u-1");
        h.clock.advance(Duration.ofHours(25));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        EventBridgeClient unreachable = AwsClients.eventBridge(new Environment(Map.of(
                "AWS_ENDPOINT_URL_EVENTBRIDGE", "http://127.0.0.1:" + closedPort, "AWS_ENDPOINT_URL", "http://127.0.0.1:" + closedPort)));
        Map<String, Object> failed = new ExpiryNotifierHandler(h.wiring, new EventBridgeNoticePublisher(unreachable, bus))
                .handleRequest(Map.of(), null);
        assertThat(failed.get("publish_failed")).isEqualTo(1);
        SessionStore sessions = new SessionStore(h.wiring.dynamo(), h.wiring.tables().sessions());
        assertThat(sessions.find(SessionTokens.parse(token).orElseThrow()).orElseThrow().state()).isEqualTo(io.userhub.shared.model.SessionState.ACTIVE);

        Map<String, Object> retried = new ExpiryNotifierHandler(h.wiring, new EventBridgeNoticePublisher(events, bus))
                .handleRequest(Map.of(), null);
        assertThat(retried.get("notified")).isEqualTo(1);
        assertThat(delivered(1)).hasSize(1);
    }
}
