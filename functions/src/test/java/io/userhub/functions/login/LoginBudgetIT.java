package io.userhub.functions.login;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.testkit.RoundTripRecorder;
import io.userhub.testkit.TestTokens;
import io.userhub.functions.support.Harness;
import io.userhub.shared.json.Json;
import io.userhub.shared.model.LoginMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DynamoDB budget of a login once the app's configuration is cached in the warm function,
 * counted by an SDK execution interceptor on the handler's own client (docs/performance.md).
 * Fails if a change adds a round trip.
 */
@ExtendWith(DynamoDbLocalExtension.class)
public class LoginBudgetIT {
    private final Harness h = new Harness(s -> s.withLoginModes(EnumSet.allOf(LoginMode.class)));

    /**
     * A returning login, measured: the calls of the first of up to three attempts that shows the
     * path's round trips. Calls made in parallel overlap unless a thread is slow to get a core (the
     * build's DynamoDB Local shares this JVM's two), which can only add a step, never remove one:
     * code that waits for one call before the next shows the extra step in every attempt.
     */
    private void measureSecondLogin(Runnable login) {
        login.run();
        for (int attempt = 0; attempt < 3; attempt++) {
            h.recorder.reset();
            login.run();
            if (h.recorder.sequentialRoundTripsOfTheAnswer() <= 2) {
                return;
            }
        }
    }

    @Test
    void returningIdentitiesLoginMakesTwoSequentialRoundTrips() {
        measureSecondLogin(() -> assertThat(h.login("d1", h.identitiesToken("uid", "u-1", "email", "u1@example.com")).status()).isEqualTo(200));
        assertThat(h.recorder.sequentialRoundTripsOfTheAnswer()).as("%s", h.recorder.calls()).isEqualTo(2);
        // the device's item takes the new session in one UpdateItem: no transaction when nothing else changes;
        // the profile is read beside it for the answer, and the login's audit record is written once the
        // UpdateItem committed, after the answer (PutItem, by the writer that follows answers)
        assertThat(h.recorder.operations()).containsExactlyInAnyOrder("BatchGetItem", "UpdateItem", "GetItem", "PutItem");
        RoundTripRecorder.Call update = h.recorder.calls().stream().filter(c -> c.operation().equals("UpdateItem")).findFirst().orElseThrow();
        assertThat(h.recorder.calls()).filteredOn(c -> c.operation().equals("PutItem")).singleElement().satisfies(put -> {
            assertThat(put.thread()).isEqualTo(RoundTripRecorder.AFTER_ANSWER_THREAD);
            assertThat(put.startNanos()).as("the record is written after its outcome").isGreaterThanOrEqualTo(update.endNanos());
        });
    }

    @Test
    void aReturningLoginThatAssertsSomethingNewWritesTheProfileInATransaction() {
        assertThat(h.login("d1", h.identitiesToken("uid", "u-9")).status()).isEqualTo(200);
        h.recorder.reset();
        assertThat(h.login("d1", h.identitiesToken("uid", "u-9", "email", "u9@example.com")).status()).isEqualTo(200);
        assertThat(h.recorder.sequentialRoundTripsOfTheAnswer()).as("%s", h.recorder.calls()).isEqualTo(2);
        assertThat(h.recorder.operations()).containsExactlyInAnyOrder("BatchGetItem", "TransactWriteItems", "GetItem");
        assertThat(h.lookup("email", "u9@example.com").status()).isEqualTo(200);
    }

    @Test
    void newIdentifiedUserMakesTwoRoundTrips() {
        // warm: the app cached, and the key's day of use noted (once a day per key and function, off the login's path)
        assertThat(h.login("warm", h.identitiesToken("uid", "warm-user")).status()).isEqualTo(200);
        h.recorder.reset();
        assertThat(h.login("d1", h.identitiesToken("uid", "brand-new")).status()).isEqualTo(200);
        assertThat(h.recorder.sequentialRoundTripsOfTheAnswer()).as("%s", h.recorder.calls()).isEqualTo(2);
        assertThat(h.recorder.operations()).containsExactly("BatchGetItem", "TransactWriteItems");
    }

    @Test
    void returningAnonymousLoginMakesTwoSequentialRoundTrips() {
        measureSecondLogin(() -> assertThat(h.login("phone", "").status()).isEqualTo(200));
        assertThat(h.recorder.sequentialRoundTripsOfTheAnswer()).as("%s", h.recorder.calls()).isEqualTo(2);
    }

    @Test
    void returningExternalIdLoginMakesTwoSequentialRoundTrips() {
        measureSecondLogin(() -> {
            ObjectNode body = Json.object().put("external_id", "ext-1").put("device_id", "d")
                    .put("jwt", TestTokens.hs256(h.app.kid(), h.app.secret(), "{\"iat\":" + h.now() + ",\"scope\":\"user\",\"external_id\":\"ext-1\"}"));
            assertThat(h.login(body).status()).isEqualTo(200);
        });
        assertThat(h.recorder.sequentialRoundTripsOfTheAnswer()).as("%s", h.recorder.calls()).isEqualTo(2);
    }

    @Test
    void returningUserIdLoginWithSecurityHashMakesTwoSequentialRoundTrips() {
        measureSecondLogin(() -> {
            ObjectNode body = Json.object().put("device_id", "d");
            body.putObject("user").put("user_id", "hc-1").put("security_hash", "s3cret");
            assertThat(h.login(body).status()).isEqualTo(200);
        });
        assertThat(h.recorder.sequentialRoundTripsOfTheAnswer()).as("%s", h.recorder.calls()).isEqualTo(2);
    }

    @Test
    void refusedTokensCostNoRoundTrip() {
        assertThat(h.login("warm", "").status()).isEqualTo(200);
        h.recorder.reset();
        assertThat(h.login("d", "garbage").status()).isEqualTo(401);
        // The minute's first refusal of its reason leaves one audit record, written by the background writer, not the request.
        assertThat(h.recorder.calls()).singleElement().satisfies(call -> {
            assertThat(call.operation()).isEqualTo("PutItem");
            assertThat(call.thread()).isEqualTo("userhub-background-writes");
        });
        h.recorder.reset();
        assertThat(h.login("d", "garbage").status()).isEqualTo(401);
        assertThat(h.recorder.calls()).isEmpty();
    }
}
