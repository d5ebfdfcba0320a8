package io.userhub.functions.identities;

import io.userhub.functions.login.LoginCommand;
import io.userhub.functions.login.LoginResult;
import io.userhub.functions.login.LoginUseCase;
import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.Session;
import io.userhub.shared.model.SessionRecord;
import io.userhub.shared.model.SessionState;
import io.userhub.shared.model.SigningKey;
import io.userhub.shared.session.SessionAccess;
import io.userhub.shared.validation.Rejection;
import io.userhub.testkit.InMemoryLoginStore;
import io.userhub.testkit.MutableClock;
import io.userhub.testkit.TestTokens;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Identity addition's rules on the in-memory store: SPEC section 3 without DynamoDB. */
class AddIdentitiesUseCaseTest {
    private final MutableClock clock = MutableClock.atTestStart();
    private final SigningKey key = new SigningKey("k1", "HS256", Hashing.randomToken(), SigningKey.Status.ACTIVE, 0);
    private final AppConfig app = new AppConfig("unit-app", "unit-domain", true, List.of(key), List.of(), AppSettings.defaults());
    private final InMemoryLoginStore store = new InMemoryLoginStore();
    private final LoginUseCase login = io.userhub.functions.support.InMemoryRules.login(store, clock, app);
    private final AddIdentitiesUseCase identities = new AddIdentitiesUseCase(store, clock, Runnable::run, store.auditWriter());

    private String token(String... identifierValuePairs) {
        return TestTokens.hs256(key.kid(), key.secret(), TestTokens.identitiesPayload(clock.instant().getEpochSecond(), identifierValuePairs));
    }

    private SessionAccess.Authenticated sessionOf(String deviceId, String token) {
        LoginResult.Success success = (LoginResult.Success) login.login(
                new LoginCommand.IdentitiesLogin(app.appId(), deviceId, token, false, LoginCommand.Expected.NONE, true));
        Session session = success.session();
        return new SessionAccess.Authenticated(app, io.userhub.shared.session.SessionTokens.parse(success.sessionToken()).orElseThrow(),
                new SessionRecord(session, SessionState.ACTIVE, List.of()));
    }

    @Test
    void anAddedPhoneNumberJoinsTheProfileAndIsClaimedForIt() {
        SessionAccess.Authenticated ada = sessionOf("phone", token("uid", "ada"));
        AddIdentitiesUseCase.Result result = identities.add(ada, token("phone_number", "+15550100"));

        assertThat(result).isInstanceOf(AddIdentitiesUseCase.Result.Applied.class);
        assertThat(((AddIdentitiesUseCase.Result.Applied) result).added()).containsExactly("phone_number");
        Identity phone = new Identity("phone_number", "+15550100", Map.of());
        assertThat(store.profilesHolding(app.domainId(), phone)).containsExactly(ada.record().session().userId());
        assertThat(store.readClaims(app.domainId(), List.of(phone)).claim(phone)).isPresent();
    }

    @Test
    void anotherUsersUidIsNeverAddedAndAUserKeepsItsOwn() {
        sessionOf("laptop", token("uid", "grace"));
        SessionAccess.Authenticated ada = sessionOf("phone", token("uid", "ada"));
        AddIdentitiesUseCase.Result result = identities.add(ada, token("uid", "grace"));

        assertThat(((AddIdentitiesUseCase.Result.Applied) result).notMoved()).containsExactly("uid");
        assertThat(store.profilesHolding(app.domainId(), Identity.uid("grace"))).doesNotContain(ada.record().session().userId());
    }

    @Test
    void anErasedUsersSessionCannotAddIdentities() {
        SessionAccess.Authenticated ada = sessionOf("phone", token("uid", "ada"));
        store.tombstone(app.domainId(), ada.record().session().userId());

        Rejection refused = catchThrowableOfType(Rejection.class, () -> identities.add(ada, token("email", "ada@example.com")));
        assertThat(refused.problem().reason().name()).isEqualTo("SESSION_INVALID");
    }
}
