package io.userhub.testkit;

import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.identity.IdentityResolution;
import io.userhub.shared.identity.IdentityResolution.Plan;
import io.userhub.shared.model.Claim;
import io.userhub.shared.model.DeviceState;
import io.userhub.shared.store.SessionTokens;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.LoginState;
import io.userhub.shared.model.Session;
import io.userhub.shared.model.StoredIdentity;
import io.userhub.shared.store.Commit;
import io.userhub.shared.store.Guard;
import io.userhub.shared.store.LoginStore;
import io.userhub.shared.store.LoginStore.LoginWrite;
import io.userhub.shared.store.LoginStore.ProfileWrite;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link LoginStore} guarantees, run against the DynamoDB store (DynamoLoginStoreIT,
 * on DynamoDB Local) and the in-memory one (InMemoryLoginStoreTest), so that unit tests on the
 * in-memory store stand for the real thing. Each test uses a domain and app of its own.
 */
public abstract class LoginStoreContract {
    private static final long NOW = MutableClock.TEST_START.getEpochSecond();

    protected abstract LoginStore store();

    private final String domain = "contract-" + Hashing.randomId().substring(0, 8);
    private final String app = "app-" + domain;

    /** A login's write as LoginUseCase builds it, for the identities and the device state read. */
    private LoginWrite login(List<Identity> identities, String deviceId, Optional<LoginStore.UsedJti> jti, Optional<LoginStore.Pin> pin) {
        LoginState state = store().readLoginState(domain, app, identities, deviceId, pin.map(LoginStore.Pin::userIdValue).orElse(null));
        Plan plan = IdentityResolution.resolve(identities, state, NOW, true, Optional.empty(), Hashing::randomId);
        List<StoredIdentity> assigned = IdentityResolution.assigned(plan, state, NOW);
        ProfileWrite profile = plan.newProfile()
                ? new ProfileWrite.Create(false, "Contract Person", assigned, Map.of(), pin.isPresent())
                : new ProfileWrite.Update(assigned, Map.of(), false, null);
        return write(plan, profile, deviceId, state.device(), jti, pin);
    }

    private LoginWrite write(Plan plan, ProfileWrite profile, String deviceId, DeviceState device,
                             Optional<LoginStore.UsedJti> jti, Optional<LoginStore.Pin> pin) {
        Instant start = Instant.ofEpochSecond(NOW);
        Session session = new Session(Hashing.randomId(), app, domain, plan.userId(), deviceId, start,
                start.plus(Duration.ofHours(24)), start.plus(Duration.ofHours(23)), false, false);
        return new LoginWrite(domain, app, plan.userId(), NOW, profile, plan, NOW, Optional.empty(), deviceId, device, null,
                session, SessionTokens.issue(app, deviceId).key(), "digest-of-" + plan.userId(), jti, pin, "login-" + plan.userId(), List.of());
    }

    private static Optional<LoginStore.UsedJti> noJti() {
        return Optional.empty();
    }

    @Test
    void aCommittedLoginIsWhatTheNextLoginReads() {
        List<Identity> identities = List.of(Identity.uid("u-1"), new Identity("email", "u1@example.com", Map.of()));
        LoginWrite first = login(identities, "phone", noJti(), Optional.empty());
        assertThat(store().commitLogin(first)).isInstanceOf(Commit.Committed.class);

        LoginState read = store().readLoginState(domain, app, identities, "phone", null);
        assertThat(read.claim(identities.get(0))).map(Claim::userId).contains(first.userId());
        assertThat(read.claim(identities.get(1))).map(Claim::userId).contains(first.userId());
        assertThat(read.device().exists()).isTrue();
        assertThat(read.device().lastUserId()).isEqualTo(first.userId());
        assertThat(store().findProfile(domain, first.userId()).orElseThrow().identities()).hasSize(2);
    }

    @Test
    void twoLoginsFromTheSameDeviceStateCommitOnceAndTheOtherIsRefusedOnTheDevice() {
        List<Identity> identities = List.of(Identity.uid("u-2"));
        assertThat(store().commitLogin(login(identities, "tablet", noJti(), Optional.empty()))).isInstanceOf(Commit.Committed.class);
        LoginWrite one = login(identities, "tablet", noJti(), Optional.empty());
        LoginWrite other = login(identities, "tablet", noJti(), Optional.empty());

        assertThat(store().commitLogin(one)).isInstanceOf(Commit.Committed.class);
        Commit second = store().commitLogin(other);
        assertThat(second).isInstanceOf(Commit.Refused.class);
        assertThat(((Commit.Refused) second).failed(Guard.DEVICE)).isTrue();
    }

    @Test
    void anIdentityClaimedMeanwhileRefusesTheLoginThatWantedItWithClaim() {
        List<Identity> identities = List.of(Identity.uid("u-3"));
        LoginWrite first = login(identities, "device-a", noJti(), Optional.empty());
        LoginWrite second = login(identities, "device-b", noJti(), Optional.empty());

        assertThat(store().commitLogin(first)).isInstanceOf(Commit.Committed.class);
        Commit refused = store().commitLogin(second);
        assertThat(refused).isInstanceOf(Commit.Refused.class);
        assertThat(((Commit.Refused) refused).failed(Guard.CLAIM)).isTrue();
        assertThat(store().findProfile(domain, second.userId())).isEmpty();
    }

    @Test
    void aJtiIsUsedOnce() {
        Optional<LoginStore.UsedJti> jti = Optional.of(new LoginStore.UsedJti("once", NOW + 3600));
        assertThat(store().commitLogin(login(List.of(Identity.uid("u-4")), "d1", jti, Optional.empty()))).isInstanceOf(Commit.Committed.class);
        Commit replay = store().commitLogin(login(List.of(Identity.uid("u-4")), "d2", jti, Optional.empty()));
        assertThat(replay).isInstanceOf(Commit.Refused.class);
        assertThat(((Commit.Refused) replay).failed(Guard.JTI)).isTrue();
    }

    @Test
    void theFirstPinnedSecurityHashStaysAndAnotherIsRefusedWithPin() {
        Identity uid = Identity.unverifiedUid("hc-1");
        Optional<LoginStore.Pin> first = Optional.of(new LoginStore.Pin("hc-1", Hashing.sha256Hex("first")));
        assertThat(store().commitLogin(login(List.of(uid), "d1", noJti(), first))).isInstanceOf(Commit.Committed.class);
        assertThat(store().readLoginState(domain, app, List.of(uid), "d2", "hc-1").pinHash()).contains(Hashing.sha256Hex("first"));

        Optional<LoginStore.Pin> other = Optional.of(new LoginStore.Pin("hc-1", Hashing.sha256Hex("other")));
        Commit refused = store().commitLogin(login(List.of(uid), "d2", noJti(), other));
        assertThat(((Commit.Refused) refused).failed(Guard.PIN)).isTrue();
    }

    @Test
    void aLoginThatKeepsAnIdentityMovedAwayMeanwhileIsRefusedOnTheProfile() {
        Identity email = new Identity("email", "shared@example.com", Map.of());
        List<Identity> alice = List.of(Identity.uid("alice"), email);
        assertThat(store().commitLogin(login(alice, "alice-phone", noJti(), Optional.empty()))).isInstanceOf(Commit.Committed.class);
        LoginWrite returning = login(alice, "alice-phone", noJti(), Optional.empty());

        // bob's newer token moves the email
        List<Identity> bob = List.of(Identity.uid("bob"), email);
        LoginState bobRead = store().readLoginState(domain, app, bob, "bob-phone", null);
        Plan move = IdentityResolution.resolve(bob, bobRead, NOW + 30, true, Optional.empty(), Hashing::randomId);
        assertThat(move.moves()).hasSize(1);
        LoginWrite bobLogin = write(move, new ProfileWrite.Create(false, "Bob", IdentityResolution.assigned(move, bobRead, NOW + 30),
                Map.of(), false), "bob-phone", bobRead.device(), noJti(), Optional.empty());
        assertThat(store().commitLogin(new LoginWrite(bobLogin.domainId(), bobLogin.appId(), bobLogin.userId(), bobLogin.now(),
                bobLogin.profile(), move, NOW + 30, Optional.empty(), bobLogin.deviceId(), bobLogin.device(), null, bobLogin.session(),
                bobLogin.sessionKey(), bobLogin.loginDigest(), noJti(), Optional.empty(), "login-bob", List.of()))).isInstanceOf(Commit.Committed.class);

        Commit refused = store().commitLogin(returning);
        assertThat(refused).isInstanceOf(Commit.Refused.class);
        assertThat(((Commit.Refused) refused).failed(Guard.PROFILE)).isTrue();
        assertThat(store().findProfile(domain, returning.userId()).orElseThrow().identities())
                .extracting(StoredIdentity::identifier).containsExactly("uid");
    }

    /** A returning login that asserts what the device's last login did, as LoginUseCase builds it. */
    private LoginWrite unchangedLogin(List<Identity> identities, String deviceId) {
        LoginState state = store().readLoginState(domain, app, identities, deviceId, null);
        Plan plan = IdentityResolution.resolve(identities, state, NOW, true, Optional.empty(), Hashing::randomId);
        return write(plan, new ProfileWrite.Unchanged(), deviceId, state.device(), noJti(), Optional.empty());
    }

    @Test
    void aReturningLoginOnItsOwnDeviceReplacesTheSessionWithoutTouchingTheProfile() {
        List<Identity> identities = List.of(Identity.uid("u-5"));
        LoginWrite first = login(identities, "own-phone", noJti(), Optional.empty());
        assertThat(store().commitLogin(first)).isInstanceOf(Commit.Committed.class);
        LoginWrite returning = unchangedLogin(identities, "own-phone");
        assertThat(returning.replacesSessionOnly()).isTrue();

        assertThat(store().commitLogin(returning)).isInstanceOf(Commit.Committed.class);
        LoginState read = store().readLoginState(domain, app, identities, "own-phone", null);
        assertThat(read.device().version()).isEqualTo(first.device().version() + 2);
        assertThat(read.device().lastUserId()).isEqualTo(first.userId());
        assertThat(store().findProfile(domain, first.userId()).orElseThrow().identities()).hasSize(1);
        // the same state read twice: the second replacement is a concurrent login
        Commit again = store().commitLogin(returning);
        assertThat(((Commit.Refused) again).failed(Guard.DEVICE)).isTrue();
    }

    @Test
    void aSessionOnlyLoginOnADeviceSomeoneElseTookMeanwhileIsRefusedOnTheProfileSoItReadsAgain() {
        List<Identity> carol = List.of(Identity.uid("carol"));
        assertThat(store().commitLogin(login(carol, "kiosk", noJti(), Optional.empty()))).isInstanceOf(Commit.Committed.class);
        LoginWrite carolReturning = unchangedLogin(carol, "kiosk");
        assertThat(store().commitLogin(login(List.of(Identity.uid("dave")), "kiosk", noJti(), Optional.empty())))
                .isInstanceOf(Commit.Committed.class);

        Commit refused = store().commitLogin(carolReturning);
        assertThat(((Commit.Refused) refused).failed(Guard.PROFILE)).isTrue();
        assertThat(store().readLoginState(domain, app, carol, "kiosk", null).device().lastUserId()).isNotEqualTo(carolReturning.userId());
    }
}
