package io.userhub.functions.login;

import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.StoredIdentity;
import io.userhub.shared.model.LoginMode;
import io.userhub.shared.model.SigningKey;
import io.userhub.shared.validation.Reason;
import io.userhub.testkit.InMemoryLoginStore;
import io.userhub.testkit.MutableClock;
import io.userhub.testkit.TestTokens;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The login rules on the in-memory store (which keeps the DynamoDB store's contract,
 * LoginStoreContract): no DynamoDB, no handler, one use case and a hand-moved clock.
 */
class LoginUseCaseTest {
    private final MutableClock clock = MutableClock.atTestStart();
    private final SigningKey key = new SigningKey("k1", "HS256", Hashing.randomToken(), SigningKey.Status.ACTIVE, 0);
    private final AppConfig app = new AppConfig("unit-app", "unit-domain", true, List.of(key), List.of(),
            AppSettings.defaults().withLoginModes(EnumSet.allOf(LoginMode.class)));
    private final InMemoryLoginStore store = new InMemoryLoginStore();
    private final LoginUseCase login = io.userhub.functions.support.InMemoryRules.login(store, clock, app);

    private String token(String... identifierValuePairs) {
        return TestTokens.hs256(key.kid(), key.secret(), TestTokens.identitiesPayload(clock.instant().getEpochSecond(), identifierValuePairs));
    }

    private LoginResult loginWith(String deviceId, String token) {
        return login.login(new LoginCommand.IdentitiesLogin(app.appId(), deviceId, token, false, LoginCommand.Expected.NONE, true));
    }

    private static LoginResult.Success success(LoginResult result) {
        assertThat(result).isInstanceOf(LoginResult.Success.class);
        return (LoginResult.Success) result;
    }

    private static Reason reason(LoginResult result) {
        assertThat(result).isInstanceOf(LoginResult.Failure.class);
        return ((LoginResult.Failure) result).problem().reason();
    }

    @Test
    void aReturningUserKeepsTheSameProfileAndTheDeviceKeepsOneSession() {
        LoginResult.Success first = success(loginWith("phone", token("uid", "u-1", "email", "u1@example.com")));
        clock.advance(Duration.ofMinutes(5));
        LoginResult.Success again = success(loginWith("phone", token("uid", "u-1", "email", "u1@example.com")));

        assertThat(again.user().id()).isEqualTo(first.user().id());
        assertThat(again.user().identities()).extracting(Identity::identifier).containsExactlyInAnyOrder("uid", "email");
        assertThat(store.sessions().values()).singleElement().satisfies(s -> assertThat(s.sessionId()).isEqualTo(again.session().sessionId()));
    }

    @Test
    void anEmailAloneFindsTheProfileItsUidLoginMade() {
        LoginResult.Success byUid = success(loginWith("phone", token("uid", "u-2", "email", "Two@Example.com")));
        LoginResult.Success byEmail = success(loginWith("laptop", token("email", "two@example.com")));
        assertThat(byEmail.user().id()).isEqualTo(byUid.user().id());
    }

    @Test
    void aLoginThatLosesTheRaceForItsDeviceIsLoginInProgressAndWritesNothing() {
        success(loginWith("tablet", token("uid", "u-3")));
        store.beforeNextCommit(() -> success(loginWith("tablet", token("uid", "u-3"))));

        assertThat(reason(loginWith("tablet", token("uid", "u-3")))).isEqualTo(Reason.LOGIN_IN_PROGRESS);
        // the winner's session only: the refused login left none of its own
        assertThat(store.sessions()).hasSize(1);
    }

    @Test
    void aLoginThatEndsRefusedIsNeverRecordedAsAcceptedEvenWhenItsRefusalCannotBeWritten() {
        List<io.userhub.shared.audit.AuditRecord> refusalsTried = new java.util.ArrayList<>();
        io.userhub.shared.audit.AuditSink refusalsFail = records -> {
            for (io.userhub.shared.audit.AuditRecord record : records) {
                if ("refused".equals(record.details().get("outcome"))) {
                    refusalsTried.add(record);
                    throw new IllegalStateException("the audit table is throttled");
                }
            }
            store.auditSink().write(records);
        };
        LoginUseCase faulty = new LoginUseCase(io.userhub.functions.support.InMemoryRules.directoryOf(app, clock),
                store, clock, Runnable::run, new io.userhub.shared.audit.AuditWriter(refusalsFail, Runnable::run));
        java.util.function.Supplier<LoginResult> tabletLogin = () -> faulty.login(
                new LoginCommand.IdentitiesLogin(app.appId(), "tablet", token("uid", "u-30"), false, LoginCommand.Expected.NONE, true));
        LoginResult.Success first = success(tabletLogin.get());
        clock.advance(Duration.ofSeconds(1));
        // Another login for the same device commits between this one's read and its single UpdateItem.
        store.beforeNextCommit(() -> success(loginWith("tablet", token("uid", "u-30"))));
        clock.advance(Duration.ofSeconds(1));

        assertThat(reason(tabletLogin.get())).isEqualTo(Reason.LOGIN_IN_PROGRESS);

        // The refusal's record was tried (three times) and failed; no record of the refused login was
        // written before its outcome, so the trail holds the two logins that committed and nothing else.
        assertThat(refusalsTried).hasSize(3).allSatisfy(r -> assertThat(r.details()).containsEntry("reason", "LOGIN_IN_PROGRESS"));
        assertThat(store.auditRecords()).hasSize(2).allSatisfy(r -> {
            assertThat(r.details()).containsEntry("outcome", "accepted");
            assertThat(r.userId()).isEqualTo(first.user().id());
        });
    }

    @Test
    void aLoginWhoseSingleWriteIsRefusedAndWhoseRetryCommitsLeavesOneRecord() {
        // A device that changed hands meanwhile: the single write is refused, the retry's transaction
        // commits, and the login leaves one record, not two.
        success(loginWith("phone", token("uid", "u-31")));
        clock.advance(Duration.ofSeconds(1));
        store.beforeNextCommit(() -> success(loginWith("phone", token("uid", "someone-else"))));
        clock.advance(Duration.ofSeconds(1));
        LoginResult.Success back = success(loginWith("phone", token("uid", "u-31")));
        assertThat(store.auditRecords()).hasSize(3);
        assertThat(store.auditRecords()).filteredOn(r -> back.user().id().equals(r.userId()))
                .extracting(r -> r.details().get("outcome")).containsExactly("accepted", "accepted");
    }

    @Test
    void aTokenWithAJtiIsSingleUse() {
        String once = TestTokens.hs256(key.kid(), key.secret(),
                "{\"identities\":[{\"identifier\":\"uid\",\"value\":\"u-4\"}],\"iat\":" + clock.instant().getEpochSecond() + ",\"jti\":\"once\"}");
        success(loginWith("d1", once));
        LoginResult replay = loginWith("d2", once);
        assertThat(reason(replay)).isEqualTo(Reason.IDENTITY_TOKEN_INVALID);
        assertThat(((LoginResult.Failure) replay).problem().details()).containsEntry("cause", "REPLAYED");
    }

    @Test
    void aUserIdOnceSentWithASecurityHashNeedsTheSameHashAgain() {
        LoginResult first = login.login(new LoginCommand.UserIdLogin(app.appId(), "d1", new LoginCommand.UserRecord("hc-9", Map.of("name", "Grace"), "first-hash"), true));
        success(first);
        LoginResult other = login.login(new LoginCommand.UserIdLogin(app.appId(), "d2", new LoginCommand.UserRecord("hc-9", Map.of(), "another-hash"), true));
        assertThat(reason(other)).isEqualTo(Reason.SECURITY_HASH_MISMATCH);
    }

    @Test
    void anEmptyTokenKeepsTheDevicesAnonymousUserUntilTheDeviceLogsInWithAnIdentity() {
        LoginResult.Success anonymous = success(loginWith("kiosk", ""));
        assertThat(anonymous.user().anonymous()).isTrue();
        assertThat(success(loginWith("kiosk", "")).user().id()).isEqualTo(anonymous.user().id());

        success(loginWith("kiosk", token("uid", "u-5")));
        LoginResult.Success next = success(loginWith("kiosk", ""));
        assertThat(next.user().anonymous()).isTrue();
        assertThat(next.user().id()).isNotEqualTo(anonymous.user().id());
    }

    @Test
    void anIdentityMovedAwayBetweenTheReadAndTheWriteStaysWithItsNewOwner() {
        success(loginWith("alice-phone", token("uid", "alice", "email", "shared@example.com")));
        String alicesToken = token("uid", "alice", "email", "shared@example.com");
        clock.advance(Duration.ofSeconds(30));
        store.beforeNextCommit(() -> success(loginWith("bob-phone", token("uid", "bob", "email", "shared@example.com"))));

        LoginResult.Success alice = success(loginWith("alice-phone", alicesToken));

        // The returning login wrote only its session: it is ordered before the move, which it overlapped.
        assertThat(store.findProfile(app.domainId(), alice.user().id()).orElseThrow().identities())
                .extracting(StoredIdentity::identifier).containsExactly("uid");
        assertThat(store.profilesHolding(app.domainId(), new Identity("email", "shared@example.com", Map.of()))).hasSize(1)
                .doesNotContain(alice.user().id());
    }

    @Test
    void aReturningLoginThatAssertsWhatTheDevicesLastLoginDidWritesOnlyTheDevicesItem() {
        success(loginWith("phone", token("uid", "u-7")));
        clock.advance(Duration.ofMinutes(5));
        LoginResult.Success again = success(loginWith("phone", token("uid", "u-7")));
        assertThat(store.commitsBySessionOnlyAndTransactional()).containsExactly(1, 1);

        // something new (an email) writes the profile, and the next login like it is session-only again
        clock.advance(Duration.ofMinutes(5));
        success(loginWith("phone", token("uid", "u-7", "email", "u7@example.com")));
        assertThat(store.findProfile(app.domainId(), again.user().id()).orElseThrow().identities()).hasSize(2);
        success(loginWith("phone", token("uid", "u-7", "email", "u7@example.com")));
        assertThat(store.commitsBySessionOnlyAndTransactional()).containsExactly(2, 2);

        // the same assertion from a device the user never used goes through the transaction (it writes the pointer)
        success(loginWith("tablet", token("uid", "u-7", "email", "u7@example.com")));
        assertThat(store.commitsBySessionOnlyAndTransactional()).containsExactly(2, 3);
        assertThat(store.sessions()).hasSize(2);
    }
}
