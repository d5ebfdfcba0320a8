package io.userhub.functions.login;

import io.userhub.shared.audit.AuditRecord;
import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.LoginMode;
import io.userhub.shared.model.SignedModeVerification;
import io.userhub.shared.model.SigningKey;
import io.userhub.shared.validation.Problem;
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
 * Staged enforcement of the signed modes (an app's {@code verification}: required, optional, off)
 * as the login's rules decide it, on the in-memory store; StagedEnforcementIT covers the same over
 * HTTP and DynamoDB Local, with the metric and the answer's shape.
 */
class StagedEnforcementTest {
    private final MutableClock clock = MutableClock.atTestStart();
    private final SigningKey key = new SigningKey("k1", "HS256", Hashing.randomToken(), SigningKey.Status.ACTIVE, 0);
    private final InMemoryLoginStore store = new InMemoryLoginStore();

    private LoginUseCase loginFor(AppConfig app) {
        return io.userhub.functions.support.InMemoryRules.login(store, clock, app);
    }

    private AppConfig app(SignedModeVerification verification) {
        return new AppConfig("staged-app", "staged-domain", true, List.of(key), List.of(),
                AppSettings.defaults().withLoginModes(EnumSet.allOf(LoginMode.class)).withVerification(verification));
    }

    private static LoginCommand unsigned(AppConfig app, String deviceId, String... identifierValuePairs) {
        List<Identity> identities = new java.util.ArrayList<>();
        for (int i = 0; i < identifierValuePairs.length; i += 2) {
            identities.add(new Identity(identifierValuePairs[i], identifierValuePairs[i + 1], Map.of()));
        }
        return new LoginCommand.UnsignedLogin(app.appId(), deviceId, LoginMode.IDENTITIES_JWT, identities, null, true);
    }

    private LoginCommand signed(AppConfig app, String deviceId, String... identifierValuePairs) {
        String token = TestTokens.hs256(key.kid(), key.secret(),
                TestTokens.identitiesPayload(clock.instant().getEpochSecond(), identifierValuePairs));
        return new LoginCommand.IdentitiesLogin(app.appId(), deviceId, token, false, LoginCommand.Expected.NONE, true);
    }

    private static LoginResult.Success success(LoginResult result) {
        assertThat(result).isInstanceOf(LoginResult.Success.class);
        return (LoginResult.Success) result;
    }

    private static Problem problem(LoginResult result) {
        assertThat(result).isInstanceOf(LoginResult.Failure.class);
        return ((LoginResult.Failure) result).problem();
    }

    private AuditRecord lastRecord() {
        List<AuditRecord> records = store.auditRecords();
        assertThat(records).isNotEmpty();
        return records.get(records.size() - 1);
    }

    @Test
    void whileSigningIsRequiredAnUnsignedLoginIsRefusedAsUnsignedAndWritesNothingButItsRecord() {
        AppConfig app = app(SignedModeVerification.REQUIRED);
        LoginUseCase login = loginFor(app);

        Problem byIdentities = problem(login.login(unsigned(app, "phone", "uid", "ada")));
        assertThat(byIdentities.reason()).isEqualTo(Reason.IDENTITY_TOKEN_INVALID);
        assertThat(byIdentities.details()).containsEntry("cause", "UNSIGNED").containsEntry("verification", "required");
        Problem byExternalId = problem(login.login(
                new LoginCommand.UnsignedLogin(app.appId(), "phone", LoginMode.EXTERNAL_ID_JWT, List.of(), "ada", true)));
        assertThat(byExternalId.details()).containsEntry("cause", "UNSIGNED");

        assertThat(store.sessions()).isEmpty();
        assertThat(store.profilesHolding(app.domainId(), Identity.unverifiedUid("ada"))).isEmpty();
        assertThat(lastRecord().details()).containsEntry("outcome", "refused").containsEntry("cause", "UNSIGNED");
    }

    @Test
    void whileRollingOutAnUnsignedLoginIsCountedAndLandsBesideTheSignedProfileNeverInIt() {
        AppConfig app = app(SignedModeVerification.OPTIONAL);
        LoginUseCase login = loginFor(app);
        String signedUser = success(login.login(signed(app, "laptop", "uid", "ada", "email", "ada@example.com"))).user().id();
        clock.advance(Duration.ofSeconds(1)); // records of one instant have no order between them

        LoginResult.Success unsignedLogin = success(login.login(unsigned(app, "phone", "uid", "ada", "email", "ada@example.com")));

        assertThat(unsignedLogin.countedUnverified()).isTrue();
        assertThat(unsignedLogin.verification().verified()).isFalse();
        assertThat(unsignedLogin.verification().unverifiedReason()).isEqualTo("UNSIGNED_IDENTITIES");
        String unverifiedUser = unsignedLogin.user().id();
        assertThat(unverifiedUser).isNotEqualTo(signedUser);
        // the email stays a field of the unverified user: the signed profile still holds the claim alone
        assertThat(store.profilesHolding(app.domainId(), new Identity("email", "ada@example.com", Map.of())))
                .containsExactly(signedUser);
        assertThat(store.fieldsOf(app.domainId(), unverifiedUser)).containsEntry("email", "ada@example.com");
        assertThat(lastRecord().details()).containsEntry("verified", false).containsEntry("unsigned", true)
                .containsEntry("verification", "optional");

        // the same user id unsigned, by identities or by external id, reaches the same unverified user
        assertThat(success(login.login(unsigned(app, "tablet", "uid", "ada"))).user().id()).isEqualTo(unverifiedUser);
        assertThat(success(login.login(new LoginCommand.UnsignedLogin(app.appId(), "watch", LoginMode.EXTERNAL_ID_JWT,
                List.of(), "ada", true))).user().id()).isEqualTo(unverifiedUser);
    }

    @Test
    void offAcceptsUnsignedLoginsUncountedAndAnUnsignedLoginNeedsAUid() {
        AppConfig app = app(SignedModeVerification.OFF);
        LoginUseCase login = loginFor(app);

        LoginResult.Success accepted = success(login.login(unsigned(app, "d1", "uid", "off-user")));
        assertThat(accepted.countedUnverified()).isFalse();
        assertThat(lastRecord().details()).containsEntry("verification", "off");

        int sessionsBefore = store.sessions().size();
        Problem emailOnly = problem(login.login(unsigned(app, "d2", "email", "x@example.com")));
        assertThat(emailOnly.reason()).isEqualTo(Reason.IDENTITIES_DATA_INVALID);
        assertThat(emailOnly.errors()).containsEntry("uid", "MISSING");
        assertThat(store.sessions()).hasSize(sessionsBefore);
    }

    @Test
    void aUserIdWhoseSecurityHashIsPinnedCannotBeReachedUnsigned() {
        AppConfig app = app(SignedModeVerification.OPTIONAL);
        LoginUseCase login = loginFor(app);
        String owner = success(login.login(new LoginCommand.UserIdLogin(app.appId(), "d1",
                new LoginCommand.UserRecord("hc-1", Map.of(), "the-hash"), true))).user().id();

        assertThat(problem(login.login(unsigned(app, "d2", "uid", "hc-1"))).reason()).isEqualTo(Reason.SECURITY_HASH_MISMATCH);
        assertThat(success(login.login(new LoginCommand.UserIdLogin(app.appId(), "d3",
                new LoginCommand.UserRecord("hc-1", Map.of(), "the-hash"), true))).user().id()).isEqualTo(owner);
    }
}
