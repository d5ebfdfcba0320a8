package io.userhub.functions.login;

import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.functions.support.Harness;
import io.userhub.functions.support.Harness.Response;
import io.userhub.shared.config.Wiring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(DynamoDbLocalExtension.class)
public class ReplayAndConcurrencyIT {

    @Test
    void aTokenWithJtiIsSingleUse() {
        Harness h = new Harness();
        String token = h.token("{\"identities\":[{\"identifier\":\"uid\",\"value\":\"u-jti\"}],\"iat\":" + h.now() + ",\"jti\":\"once\"}");
        assertThat(h.login("d1", token).status()).isEqualTo(200);
        Response replay = h.login("d2", token);
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.text("/details/cause")).isEqualTo("REPLAYED");
    }

    @Test
    void aJtiCanBeReusedOnceItsTokenCouldNoLongerBeAccepted() {
        Harness h = new Harness();
        long firstIat = h.now();
        assertThat(h.login("d1", h.token("{\"identities\":[{\"identifier\":\"uid\",\"value\":\"u\"}],\"iat\":" + firstIat + ",\"jti\":\"j\"}")).status()).isEqualTo(200);
        h.clock.advance(Duration.ofHours(25));
        assertThat(h.login("d1", h.token("{\"identities\":[{\"identifier\":\"uid\",\"value\":\"u\"}],\"iat\":" + h.now() + ",\"jti\":\"j\"}")).status()).isEqualTo(200);
    }

    /** Runs an action once, just before the first write (UpdateItem or TransactWriteItems) that passes through it. */
    private static final class BeforeFirstTransaction implements ExecutionInterceptor {
        private final Runnable action;
        private boolean fired;

        BeforeFirstTransaction(Runnable action) {
            this.action = action;
        }

        @Override
        public synchronized void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (!fired && (context.request() instanceof software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest
                    || context.request() instanceof software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest)) {
                fired = true;
                action.run();
            }
        }
    }

    @Test
    void anIdentityMovedAwayBetweenALoginsReadAndItsWriteIsNotPutBackOnTheLosersProfile() {
        // GIVEN alice owns shared@example.com
        Harness h = new Harness();
        assertThat(h.login("alice-phone", h.identitiesToken("uid", "alice", "email", "shared@example.com")).status()).isEqualTo(200);
        String aliceToken = h.identitiesToken("uid", "alice", "email", "shared@example.com");
        // WHEN a newer token moves the email to bob after alice's returning login has read its claims
        h.clock.advance(Duration.ofSeconds(30));
        BeforeFirstTransaction moveTheEmail = new BeforeFirstTransaction(() ->
                assertThat(h.login("bob-phone", h.identitiesToken("uid", "bob", "email", "shared@example.com")).status()).isEqualTo(200));
        Harness racing = Harness.through(clock -> DynamoDbLocalExtension.wiring(clock, moveTheEmail), h.app);
        racing.clock.set(h.clock.instant());
        Response alice = racing.login("alice-phone", aliceToken);

        // THEN alice is logged in (her login wrote only its session: it is ordered before the move it overlapped,
        // so its answer may still list the email), and the email is on bob's profile only
        assertThat(alice.status()).isEqualTo(200);
        Response bob = h.lookup("email", "shared@example.com");
        assertThat(bob.body().at("/user/identities").toString()).contains("bob");
        assertThat(h.lookup("uid", "alice").body().at("/user/identities").toString()).doesNotContain("shared@example.com");
    }

    /** Holds a login after its first round trip until another login for the same device has finished. */
    private static final class PauseAfterFirstRead implements ExecutionInterceptor {
        final CountDownLatch firstReadDone = new CountDownLatch(1);
        final CountDownLatch otherLoginDone = new CountDownLatch(1);

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if ("BatchGetItem".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)) && firstReadDone.getCount() > 0) {
                firstReadDone.countDown();
                try {
                    otherLoginDone.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Test
    void anotherLoginForTheSameDeviceWhileOneIsUnderWayGetsLoginInProgress() throws Exception {
        Harness h = new Harness();
        PauseAfterFirstRead pause = new PauseAfterFirstRead();
        Wiring slowWiring = DynamoDbLocalExtension.wiring(h.clock, pause);
        LoginHandler slowHandler = new LoginHandler(slowWiring);
        String token = h.identitiesToken("uid", "u-race");
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<Response> slowLogin = executor.submit(() -> Harness.call(slowHandler.handleRequest(
                    io.userhub.testkit.ApiEvents.login(h.app.appId())
                            .body("{\"identity_token\":\"" + token + "\",\"device_id\":\"shared-device\"}").build(), null)));
            assertThat(pause.firstReadDone.await(10, TimeUnit.SECONDS)).isTrue();
            Response fast = h.login("shared-device", h.identitiesToken("uid", "u-race"));
            pause.otherLoginDone.countDown();
            Response late = slowLogin.get(20, TimeUnit.SECONDS);

            assertThat(fast.status()).isEqualTo(200);
            assertThat(late.status()).isEqualTo(409);
            assertThat(late.reason()).isEqualTo("LOGIN_IN_PROGRESS");
            assertThat(h.storedItems().stream().filter(i -> i.get("pk").s().startsWith("S#"))).hasSize(1);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void concurrentFirstLoginsOfOneUidMakeOneProfile() throws Exception {
        Harness h = new Harness();
        int logins = 8;
        ExecutorService executor = Executors.newFixedThreadPool(logins);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < logins; i++) {
                String device = "device-" + i;
                String token = h.identitiesToken("uid", "u-crowd", "email", "crowd@example.com");
                futures.add(executor.submit(() -> {
                    start.await();
                    return h.login(device, token);
                }));
            }
            start.countDown();
            List<Response> responses = new ArrayList<>();
            for (Future<Response> f : futures) {
                responses.add(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.body().toString()).isIn(200, 409));
            assertThat(responses.stream().filter(r -> r.status() == 200).map(r -> r.text("/user/id")).distinct()).hasSize(1);
            assertThat(h.storedItems().stream().filter(i -> "PROFILE".equals(io.userhub.shared.store.Items.string(i, "sk")))).hasSize(1);
            assertThat(h.storedItems().stream().filter(i -> "CLAIM".equals(io.userhub.shared.store.Items.string(i, "sk")))).hasSize(2);
        } finally {
            executor.shutdownNow();
        }
    }
}
