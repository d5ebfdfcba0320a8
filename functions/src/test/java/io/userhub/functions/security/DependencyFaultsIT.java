package io.userhub.functions.security;

import com.amazonaws.services.lambda.runtime.Context;
import io.userhub.testkit.ApiEvents;
import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.functions.login.LoginHandler;
import io.userhub.functions.support.FaultyDynamo;
import io.userhub.functions.support.FaultyDynamo.Fault;
import io.userhub.functions.support.Harness;
import io.userhub.functions.support.Harness.Response;
import io.userhub.shared.config.RequestDeadline;
import io.userhub.shared.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dependency's fault is a 503 in the error shape, never a 500, and no answer takes longer than
 * the function's timeout minus one second: DynamoDB throttling beyond the SDK's retries, a
 * DynamoDB that never answers, and a login whose write committed but whose answer was lost.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class DependencyFaultsIT {
    /** The template's Globals Timeout. */
    private static final Duration FUNCTION_TIMEOUT = Duration.ofSeconds(10);

    @Test
    void throttlingThatOutlastsTheSdksRetriesIsServiceBusyWithRetryAfterAndWritesNothing() throws Exception {
        Harness direct = new Harness();
        try (FaultyDynamo dynamo = new FaultyDynamo()) {
            Harness h = Harness.through(dynamo::wiring, direct.app);
            int itemsBefore = direct.storedItems().size();
            dynamo.inject(Fault.THROTTLE);

            Response login = h.login("phone", h.identitiesToken("uid", "busy-1"));

            assertThat(login.status()).isEqualTo(503);
            assertThat(login.reason()).isEqualTo("SERVICE_BUSY");
            assertThat(login.text("/error")).isEqualTo("LOGIN_FAILED");
            assertThat(login.headers()).containsEntry("retry-after", "1");
            assertThat(login.body().has("request_id")).isTrue();
            assertThat(dynamo.faultsInjected.get()).as("the SDK retried before giving up").isGreaterThan(1);
            assertThat(direct.storedItems()).hasSize(itemsBefore);
        }
    }

    @Test
    void aDynamoDbThatNeverAnswersIsServiceUnavailableWellWithinTheFunctionsTimeout() throws Exception {
        Harness direct = new Harness();
        try (FaultyDynamo dynamo = new FaultyDynamo()) {
            Harness h = Harness.through(dynamo::wiring, direct.app);
            h.login("warm-up", h.identitiesToken("uid", "warm"));
            dynamo.inject(Fault.HANG);

            long started = System.nanoTime();
            Response login = h.login("phone", h.identitiesToken("uid", "slow-1"));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(login.status()).isEqualTo(503);
            assertThat(login.reason()).isEqualTo("SERVICE_UNAVAILABLE");
            assertThat(took).isLessThan(FUNCTION_TIMEOUT.minus(RequestDeadline.ANSWER_RESERVE));

            // With less time left than a call may take, no call starts at all.
            LoginHandler handler = new LoginHandler(h.wiring);
            long shortStart = System.nanoTime();
            Response cut = Harness.call(handler.handleRequest(ApiEvents.login(h.app.appId()).body(Json.write(
                    Json.object().put("identity_token", h.identitiesToken("uid", "slow-2")).put("device_id", "p2"))).build(),
                    contextWithRemaining(Duration.ofSeconds(3))));
            assertThat(cut.status()).isEqualTo(503);
            assertThat(cut.text("/details/problem")).isEqualTo("TIME_BUDGET_EXHAUSTED");
            assertThat(Duration.ofNanos(System.nanoTime() - shortStart)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void aLoginWhoseCommitWasLostIsNotLoginInProgressAndItsRetryLeavesOneProfileAndOneSession() throws Exception {
        Harness direct = new Harness();
        try (FaultyDynamo dynamo = new FaultyDynamo()) {
            Harness h = Harness.through(dynamo::wiring, direct.app);
            String token = h.identitiesToken("uid", "lost-1", "email", "lost@example.com");
            dynamo.inject(Fault.COMMIT_THEN_DROP, "TransactWriteItems");

            Response lost = h.login("phone", token);

            assertThat(lost.status()).isEqualTo(503);
            assertThat(lost.reason()).isEqualTo("SERVICE_UNAVAILABLE");
            dynamo.inject(Fault.NONE);
            Response retried = h.login("phone", token);
            assertThat(retried.status()).isEqualTo(200);

            long profiles = direct.storedItems().stream().filter(i -> "PROFILE".equals(i.get("sk") == null ? null : i.get("sk").s())).count();
            long liveSessions = direct.storedItems().stream().filter(i -> i.containsKey("session_id")).count();
            assertThat(profiles).isEqualTo(1);
            assertThat(liveSessions).isEqualTo(1);
            assertThat(direct.session(retried.text("/session_token")).status()).isEqualTo(200);
        }
    }

    @Test
    void anImportThatCannotFinishInTimeAnswers503BeforeTheTimeoutAndItsRerunGoesOn() {
        Harness h = new Harness();
        StringBuilder csv = new StringBuilder("user_id,name\n");
        for (int i = 0; i < 3000; i++) {
            csv.append("budget-").append(i).append(",Person ").append(i).append('\n');
        }
        var handler = new io.userhub.functions.users.ImportUsersHandler(h.wiring);
        java.util.function.Supplier<com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent> event = () -> ApiEvents.post(
                "/v1/apps/{appId}/users/import", "/v1/apps/" + h.app.appId() + "/users/import").pathParameter("appId", h.app.appId())
                .header("content-type", "text/csv").bearer(h.app.apiKey()).body(csv.toString()).build();

        long started = System.nanoTime();
        Response cut = Harness.call(handler.handleRequest(event.get(), contextWithRemaining(Duration.ofMillis(4300))));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(cut.status()).isEqualTo(503);
        assertThat(cut.text("/details/problem")).isEqualTo("TIME_BUDGET_EXHAUSTED");
        assertThat(took).as("answered before 4.3 s - 1 s, calls included").isLessThan(Duration.ofMillis(3300));
        Response rerun = Harness.call(handler.handleRequest(event.get(), null));
        assertThat(rerun.status()).isEqualTo(200);
        assertThat(rerun.body().at("/summary/created").asInt() + rerun.body().at("/summary/unchanged").asInt()).isEqualTo(3000);
    }

    static Context contextWithRemaining(Duration remaining) {
        return io.userhub.devkit.LambdaContext.withRemaining("test-function", remaining);
    }

}
