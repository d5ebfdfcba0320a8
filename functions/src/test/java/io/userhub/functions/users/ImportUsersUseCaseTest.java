package io.userhub.functions.users;

import io.userhub.functions.login.LoginCommand;
import io.userhub.functions.login.LoginResult;
import io.userhub.functions.login.LoginUseCase;
import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.LoginMode;
import io.userhub.shared.model.SigningKey;
import io.userhub.functions.support.InMemoryRules;
import io.userhub.shared.validation.Reason;
import io.userhub.testkit.InMemoryLoginStore;
import io.userhub.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CSV import's rules on the in-memory store: a user per user id, a re-run that writes nothing,
 * rows that change what they name, a reported erase, and the security hash an import pins, which a
 * user-id login on the same store must then present. ImportUsersIT covers the route over
 * DynamoDB Local, ImportScaleIT its size.
 */
class ImportUsersUseCaseTest {
    private final MutableClock clock = MutableClock.atTestStart();
    private final SigningKey key = new SigningKey("k1", "HS256", Hashing.randomToken(), SigningKey.Status.ACTIVE, 0);
    private final AppConfig app = new AppConfig("import-app", "import-domain", true, List.of(key), List.of(),
            AppSettings.defaults().withLoginModes(EnumSet.allOf(LoginMode.class)));
    private final InMemoryLoginStore store = new InMemoryLoginStore();
    private final ImportUsersUseCase imports = new ImportUsersUseCase(store, clock, Runnable::run);

    private static List<ImportUsersUseCase.Status> statuses(List<ImportUsersUseCase.RowResult> results) {
        return results.stream().map(ImportUsersUseCase.RowResult::status).toList();
    }

    @Test
    void eachUserIdBecomesOneUserAndTheSameFileAgainWritesNothing() {
        String csv = "user_id,email,name,plan\nhc-1,ada@example.com,Ada,gold\nhc-2,grace@example.com,Grace,silver\n";

        List<ImportUsersUseCase.RowResult> first = imports.importCsv(app, csv);
        assertThat(statuses(first)).containsExactly(ImportUsersUseCase.Status.CREATED, ImportUsersUseCase.Status.CREATED);
        String ada = first.get(0).id();
        assertThat(store.findClaim(app.domainId(), Identity.uid("hc-1"))).map(c -> c.userId()).contains(ada);
        assertThat(store.fieldsOf(app.domainId(), ada)).containsEntry("email", "ada@example.com").containsEntry("name", "Ada");
        assertThat(store.findUserFields(app.domainId(), List.of(ada)).get(ada).customFields()).containsEntry("plan", "gold");
        assertThat(store.findProfile(app.domainId(), ada).orElseThrow().displayName()).isEqualTo("Ada");

        assertThat(statuses(imports.importCsv(app, csv))).containsOnly(ImportUsersUseCase.Status.UNCHANGED);

        List<ImportUsersUseCase.RowResult> changed = imports.importCsv(app, "user_id,plan\nhc-1,platinum\nhc-2,silver\n");
        assertThat(statuses(changed)).containsExactly(ImportUsersUseCase.Status.UPDATED, ImportUsersUseCase.Status.UNCHANGED);
        assertThat(changed.get(0).id()).isEqualTo(ada);
        assertThat(store.findUserFields(app.domainId(), List.of(ada)).get(ada).customFields()).containsEntry("plan", "platinum");
    }

    @Test
    void aBadRowIsRejectedWithItsReasonAndTheOthersStillLand() {
        List<ImportUsersUseCase.RowResult> results = imports.importCsv(app,
                "user_id,email\nhc-3,a@example.com,one-too-many\nnull,blocked@example.com\nhc-4,ok@example.com\nhc-4,again@example.com\n");

        assertThat(results).extracting(ImportUsersUseCase.RowResult::reason)
                .containsExactly("MALFORMED_ROW", Reason.IDENTITIES_DATA_INVALID.name(), null, "DUPLICATE_USER_ID");
        assertThat(results.get(1).errors()).containsEntry("user_id", "BLOCKED_VALUE");
        assertThat(statuses(results)).containsExactly(ImportUsersUseCase.Status.REJECTED, ImportUsersUseCase.Status.REJECTED,
                ImportUsersUseCase.Status.CREATED, ImportUsersUseCase.Status.REJECTED);
        assertThat(store.findClaim(app.domainId(), Identity.uid("hc-3"))).isEmpty();
        assertThat(store.fieldsOf(app.domainId(), results.get(2).id())).containsEntry("email", "ok@example.com");
    }

    @Test
    void aUserIdAnEraseReleasedComesBackAndTheRowSaysWhenItWasErased() {
        long erasedAt = clock.instant().getEpochSecond() - 3600;
        store.eraseIdentity(app.domainId(), Identity.uid("hc-gone"), erasedAt, erasedAt + Duration.ofDays(30).toSeconds());

        List<ImportUsersUseCase.RowResult> results = imports.importCsv(app, "user_id,name\nhc-gone,Gone Person\nhc-new,New Person\n");

        assertThat(statuses(results)).containsOnly(ImportUsersUseCase.Status.CREATED);
        assertThat(results.get(0).previouslyErasedAt()).isEqualTo(erasedAt);
        assertThat(results.get(1).previouslyErasedAt()).isNull();
    }

    @Test
    void theSecurityHashAnImportPinsIsTheOneAnUnverifiedUserIdLoginMustPresent() {
        imports.importCsv(app, "user_id,name,security_hash\nhc-9,Imported Person,the-hash\n");
        // the same file again: the pin is there already, nothing is written
        assertThat(statuses(imports.importCsv(app, "user_id,name,security_hash\nhc-9,Imported Person,the-hash\n")))
                .containsExactly(ImportUsersUseCase.Status.UNCHANGED);
        LoginUseCase login = InMemoryRules.login(store, clock, app);

        LoginResult wrong = login.login(new LoginCommand.UserIdLogin(app.appId(), "d1", new LoginCommand.UserRecord("hc-9", Map.of(), "other"), true));
        assertThat(wrong).isInstanceOfSatisfying(LoginResult.Failure.class,
                failure -> assertThat(failure.problem().reason()).isEqualTo(Reason.SECURITY_HASH_MISMATCH));
        LoginResult right = login.login(new LoginCommand.UserIdLogin(app.appId(), "d2", new LoginCommand.UserRecord("hc-9", Map.of(), "the-hash"), true));
        assertThat(right).isInstanceOf(LoginResult.Success.class);
    }

    @Test
    void anImportedUserIsReachedByAUserIdLoginOnlyWhenItsHashIsTheBackendsHmac() {
        AppConfig hmac = new AppConfig("import-hmac", "import-hmac-domain", true, List.of(key), List.of(), app.settings()
                .withUserIdVerification(io.userhub.shared.model.UserIdVerification.HMAC));
        String imported = imports.importCsv(hmac, "user_id,name\nhc-10,Imported Person\n").get(0).id();
        LoginUseCase login = InMemoryRules.login(store, clock, hmac);

        String signed = io.userhub.shared.token.UserIdSignatures.sign(key.secret(), "hc-10");
        LoginResult verified = login.login(new LoginCommand.UserIdLogin(hmac.appId(), "d1", new LoginCommand.UserRecord("hc-10", Map.of(), signed), true));
        assertThat(verified).isInstanceOfSatisfying(LoginResult.Success.class, success -> assertThat(success.user().id()).isEqualTo(imported));
        LoginResult unsigned = login.login(new LoginCommand.UserIdLogin(hmac.appId(), "d2", new LoginCommand.UserRecord("hc-10", Map.of(), null), true));
        assertThat(unsigned).isInstanceOfSatisfying(LoginResult.Failure.class,
                failure -> assertThat(failure.problem().reason()).isEqualTo(Reason.SECURITY_HASH_MISMATCH));
    }
}
