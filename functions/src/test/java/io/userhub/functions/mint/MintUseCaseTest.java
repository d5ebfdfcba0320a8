package io.userhub.functions.mint;

import io.userhub.functions.login.LoginCommand;
import io.userhub.functions.login.LoginResult;
import io.userhub.functions.support.InMemoryRules;
import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.LoginMode;
import io.userhub.shared.model.SigningKey;
import io.userhub.shared.store.AppDirectory;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;
import io.userhub.testkit.InMemoryLoginStore;
import io.userhub.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Minting's rules on plain objects: a minted token passes the login's rules (the same code decides
 * both), minting refuses what login would refuse, and it signs with the newest usable key.
 * MintHandlerIT covers the route, its authentication and the error's shape.
 */
class MintUseCaseTest {
    private final MutableClock clock = MutableClock.atTestStart();
    private final SigningKey older = new SigningKey("older", "HS256", Hashing.randomToken(), SigningKey.Status.ACTIVE, 1);
    private final SigningKey newer = new SigningKey("newer", "HS256", Hashing.randomToken(), SigningKey.Status.ACTIVE, 2);
    private final InMemoryLoginStore store = new InMemoryLoginStore();

    private static AppConfig app(boolean identityEnabled, List<SigningKey> keys) {
        return new AppConfig("mint-app", "mint-domain", identityEnabled, keys, List.of(),
                AppSettings.defaults().withLoginModes(EnumSet.allOf(LoginMode.class)));
    }

    private AppDirectory directoryOf(AppConfig app) {
        return InMemoryRules.directoryOf(app, clock);
    }

    private LoginResult login(AppConfig app, LoginCommand command) {
        return InMemoryRules.login(store, clock, app).login(command);
    }

    private static List<Identity> identities(String... identifierValuePairs) {
        List<Identity> identities = new java.util.ArrayList<>();
        for (int i = 0; i < identifierValuePairs.length; i += 2) {
            identities.add(new Identity(identifierValuePairs[i], identifierValuePairs[i + 1], Map.of()));
        }
        return identities;
    }

    @Test
    void aMintedTokenIsSignedWithTheNewestActiveKeyAndLogsIn() {
        AppConfig app = app(true, List.of(older, newer));
        MintUseCase mint = new MintUseCase(directoryOf(app), clock);

        MintUseCase.MintedToken token = mint.mint(app, new MintUseCase.MintCommand.IdentitiesToken(
                identities("uid", "m-1", "email", "m1@example.com"), false, 3600L, false));

        assertThat(token.kid()).isEqualTo("newer");
        assertThat(token.expiresAt()).isEqualTo(clock.instant().getEpochSecond() + 3600);
        assertThat(token.jti()).isNull();
        LoginResult result = login(app, new LoginCommand.IdentitiesLogin(app.appId(), "phone", token.token(), false, LoginCommand.Expected.NONE, true));
        assertThat(result).isInstanceOfSatisfying(LoginResult.Success.class, success -> assertThat(success.user().identities())
                .extracting(Identity::value).containsExactlyInAnyOrder("m-1", "m1@example.com"));

        MintUseCase.MintedToken external = mint.mint(app, new MintUseCase.MintCommand.ExternalIdToken("m-2", null, false));
        assertThat(external.type()).isEqualTo("external_id");
        assertThat(login(app, new LoginCommand.ExternalIdLogin(app.appId(), "laptop", "m-2", external.token(), true)))
                .isInstanceOf(LoginResult.Success.class);
    }

    @Test
    void mintingRefusesTheIdentitiesLoginWouldRefuseWithTheSameReason() {
        AppConfig app = app(true, List.of(newer));
        MintUseCase mint = new MintUseCase(directoryOf(app), clock);
        // neither a uid nor an email: login refuses such a token, so minting refuses to sign it
        List<Identity> phoneOnly = identities("phone_number", "+15551234567");
        Problem minted = InMemoryRules.refusal(() -> mint.mint(app, new MintUseCase.MintCommand.IdentitiesToken(phoneOnly, false, null, false)));

        String signedAnyway = io.userhub.shared.token.TokenSigner.sign(newer, Map.of("iat", clock.instant().getEpochSecond(),
                "identities", List.of(Map.of("identifier", "phone_number", "value", "+15551234567"))));
        LoginResult login = login(app, new LoginCommand.IdentitiesLogin(app.appId(), "d", signedAnyway, false, LoginCommand.Expected.NONE, true));
        assertThat(login).isInstanceOf(LoginResult.Failure.class);
        assertThat(minted.reason()).isEqualTo(((LoginResult.Failure) login).problem().reason());
        assertThat(minted.errors()).isEqualTo(((LoginResult.Failure) login).problem().errors());

        // with full privacy the same identities are fine for both
        assertThat(mint.mint(app, new MintUseCase.MintCommand.IdentitiesToken(phoneOnly, true, null, false)).token()).isNotBlank();
    }

    @Test
    void aSingleUseTokenCarriesAJtiThatItsFirstLoginConsumes() {
        AppConfig app = app(true, List.of(newer));
        MintUseCase.MintedToken once = new MintUseCase(directoryOf(app), clock)
                .mint(app, new MintUseCase.MintCommand.IdentitiesToken(identities("uid", "m-3"), false, 60L, true));
        assertThat(once.jti()).isNotBlank();

        assertThat(login(app, new LoginCommand.IdentitiesLogin(app.appId(), "d1", once.token(), false, LoginCommand.Expected.NONE, true)))
                .isInstanceOf(LoginResult.Success.class);
        LoginResult replay = login(app, new LoginCommand.IdentitiesLogin(app.appId(), "d2", once.token(), false, LoginCommand.Expected.NONE, true));
        assertThat(replay).isInstanceOfSatisfying(LoginResult.Failure.class,
                failure -> assertThat(failure.problem().details()).containsEntry("cause", "REPLAYED"));
    }

    @Test
    void anAppWithoutAUsableKeyOrWithIdentitiesOffCannotMint() {
        SigningKey retired = new SigningKey("retired", "HS256", Hashing.randomToken(), SigningKey.Status.RETIRED, 3);
        SigningKey notYet = newer.withSchedule(clock.instant().getEpochSecond() + 3600, null);
        AppConfig keyless = app(true, List.of(retired, notYet));
        MintUseCase.MintCommand command = new MintUseCase.MintCommand.ExternalIdToken("m-4", null, false);
        assertThat(InMemoryRules.refusal(() -> new MintUseCase(directoryOf(keyless), clock).mint(keyless, command)).reason())
                .isEqualTo(Reason.NO_ACTIVE_KEY);

        AppConfig off = app(false, List.of(newer));
        assertThat(InMemoryRules.refusal(() -> new MintUseCase(directoryOf(off), clock).mint(off, command)).reason())
                .isEqualTo(Reason.IDENTITY_FEATURE_NOT_ENABLED);
    }
}
