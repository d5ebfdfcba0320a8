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
import io.userhub.shared.store.AppDirectory;
import io.userhub.shared.validation.Reason;
import io.userhub.testkit.InMemoryLoginStore;
import io.userhub.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
        List<ImportUsersUseCase.RowResult> results = imports.importCsv(app, "user_id,email\nhc-3,not-an-email\n,nobody@example.com\nhc-4,ok@example.com\n");

        assertThat(statuses(results)).containsExactly(ImportUsersUseCase.Status.REJECTED, ImportUsersUseCase.Status.REJECTED,
                ImportUsersUseCase.Status.CREATED);
        assertThat(results.get(0).reason()).isEqualTo(Reason.FIELD_INVALID.name());
        assertThat(results.get(0).errors()).containsKey("email");
        assertThat(results.get(1).reason()).isEqualTo(Reason.IDENTITIES_DATA_INVALID.name());
        assertThat(store.findClaim(app.domainId(), Identity.uid("hc-3"))).isEmpty();
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
    void theSecurityHashAnImportPinsIsTheOneAUserIdLoginMustPresent() {
        String imported = imports.importCsv(app, "user_id,name,security_hash\nhc-9,Imported Person,the-hash\n").get(0).id();
        // the same file again: the pin is there already, nothing is written
        assertThat(statuses(imports.importCsv(app, "user_id,name,security_hash\nhc-9,Imported Person,the-hash\n")))
                .containsExactly(ImportUsersUseCase.Status.UNCHANGED);
        LoginUseCase login = new LoginUseCase(new AppDirectory(id -> Optional.of(app), clock, Duration.ofMinutes(1)),
                store, clock, Runnable::run, store.auditWriter());

        LoginResult wrong = login.login(new LoginCommand.UserIdLogin(app.appId(), "d1", new LoginCommand.UserRecord("hc-9", Map.of(), "other"), true));
        assertThat(wrong).isInstanceOfSatisfying(LoginResult.Failure.class,
                failure -> assertThat(failure.problem().reason()).isEqualTo(Reason.SECURITY_HASH_MISMATCH));
        LoginResult right = login.login(new LoginCommand.UserIdLogin(app.appId(), "d2", new LoginCommand.UserRecord("hc-9", Map.of(), "the-hash"), true));
        assertThat(right).isInstanceOfSatisfying(LoginResult.Success.class, success -> assertThat(success.user().id()).isEqualTo(imported));
    }
}
