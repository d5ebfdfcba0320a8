package io.userhub.functions.users;

import io.userhub.functions.login.LoginCommand;
import io.userhub.functions.login.LoginResult;
import io.userhub.functions.login.LoginUseCase;
import io.userhub.shared.audit.AuditRecord;
import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.model.AnonymousPolicy;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.AttributeChanges;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.LoginMode;
import io.userhub.shared.model.SigningKey;
import io.userhub.functions.support.InMemoryRules;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;
import io.userhub.shared.validation.Rejection;
import io.userhub.testkit.InMemoryLoginStore;
import io.userhub.testkit.MutableClock;
import io.userhub.testkit.TestTokens;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The unmerge's rules on the in-memory store (which keeps the DynamoDB store's contract for
 * lineages, LoginStoreContract): what goes back, and each reason an undo is refused. Merges are
 * made by real logins; UnmergeIT covers the route over DynamoDB Local.
 */
class UnmergeUseCaseTest {
    private final MutableClock clock = MutableClock.atTestStart();
    private final SigningKey key = new SigningKey("k1", "HS256", Hashing.randomToken(), SigningKey.Status.ACTIVE, 0);
    private final AppConfig app = new AppConfig("unmerge-app", "unmerge-domain", true, List.of(key), List.of(),
            AppSettings.defaults().withLoginModes(EnumSet.allOf(LoginMode.class)).withAnonymousPolicy(AnonymousPolicy.MERGE));
    private final InMemoryLoginStore store = new InMemoryLoginStore();
    private final LoginUseCase login = InMemoryRules.login(store, clock, app);
    private final List<io.userhub.shared.event.EventBatch> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final UnmergeUseCase unmerge = new UnmergeUseCase(store, clock, heard::add);
    private final Identity sharedEmail = new Identity("email", "shared@example.com", Map.of());

    private String loginWith(String deviceId, String... identifierValuePairs) {
        clock.advance(Duration.ofSeconds(10));
        String token = identifierValuePairs.length == 0 ? ""
                : TestTokens.hs256(key.kid(), key.secret(), TestTokens.identitiesPayload(clock.instant().getEpochSecond(), identifierValuePairs));
        LoginResult result = login.login(new LoginCommand.IdentitiesLogin(app.appId(), deviceId, token, false, LoginCommand.Expected.NONE, false));
        assertThat(result).isInstanceOf(LoginResult.Success.class);
        return ((LoginResult.Success) result).user().id();
    }

    /** The merge id the login record of the user's latest merging login names. */
    private String mergeIdOf(String userId) {
        List<AuditRecord> merging = store.auditRecords().stream()
                .filter(r -> userId.equals(r.userId()) && r.details().containsKey("merge_id")).toList();
        assertThat(merging).isNotEmpty();
        return (String) merging.get(merging.size() - 1).details().get("merge_id");
    }

    private static Map<String, Object> refusal(Runnable action) {
        Problem problem = InMemoryRules.refusal(action);
        assertThat(problem.reason()).isEqualTo(Reason.UNMERGE_REFUSED);
        return problem.details();
    }

    @Test
    void anIdentityALoginMovedGoesBackToItsPreviousOwnerOnce() {
        String alice = loginWith("alice-phone", "uid", "alice", "email", "shared@example.com");
        String bob = loginWith("bob-phone", "uid", "bob", "email", "shared@example.com");
        assertThat(store.profilesHolding(app.domainId(), sharedEmail)).containsExactly(bob);
        String mergeId = mergeIdOf(bob);

        UnmergeUseCase.Unmerged undone = unmerge.unmerge(app, bob, mergeId);

        assertThat(undone.restored()).singleElement().satisfies(moved -> {
            assertThat(moved.identity().identifier()).isEqualTo("email");
            assertThat(moved.fromUserId()).isEqualTo(alice);
        });
        assertThat(store.profilesHolding(app.domainId(), sharedEmail)).containsExactly(alice);
        // a second subscriber hears of the undo once it committed; its record rode in the undo's write
        assertThat(heard).singleElement().satisfies(batch -> {
            assertThat(batch.recordedWithTheWrite()).isTrue();
            assertThat(batch.events()).singleElement().isInstanceOfSatisfying(io.userhub.shared.event.DomainEvent.UserUnmerged.class,
                    event -> assertThat(event.userId()).isEqualTo(bob));
        });
        assertThat(refusal(() -> unmerge.unmerge(app, bob, mergeId))).containsEntry("problem", "ALREADY_UNDONE");
        assertThat(heard).as("a refused undo is no event").hasSize(1);
    }

    @Test
    void anIdentityThatMovedOnSinceIsNotTakenBackFromItsNewOwner() {
        loginWith("alice-phone", "uid", "alice", "email", "shared@example.com");
        String bob = loginWith("bob-phone", "uid", "bob", "email", "shared@example.com");
        String bobsMerge = mergeIdOf(bob);
        String carol = loginWith("carol-phone", "uid", "carol", "email", "shared@example.com");

        assertThat(refusal(() -> unmerge.unmerge(app, bob, bobsMerge)))
                .containsEntry("problem", "IDENTITY_CHANGED_SINCE").containsEntry("identifier", "email");
        assertThat(store.profilesHolding(app.domainId(), sharedEmail)).containsExactly(carol);
    }

    @Test
    void anErasedPreviousOwnerGetsNothingBack() {
        String alice = loginWith("alice-phone", "uid", "alice", "email", "shared@example.com");
        String bob = loginWith("bob-phone", "uid", "bob", "email", "shared@example.com");
        store.tombstone(app.domainId(), alice);

        assertThat(refusal(() -> unmerge.unmerge(app, bob, mergeIdOf(bob))))
                .containsEntry("problem", "PREVIOUS_OWNER_GONE").containsEntry("user_id", alice);
        assertThat(store.profilesHolding(app.domainId(), sharedEmail)).containsExactly(bob);
    }

    @Test
    void aMergedAnonymousUserComesBackAndTakesTheAttributesTheUserHasNotChangedSince() {
        String anonymous = loginWith("tablet");
        AttributeChanges visitorData = new AttributeChanges();
        visitorData.setGlobal("first_name", "Anon");
        visitorData.setGlobal("country", "FR");
        visitorData.addTags(List.of("visitor"));
        assertThat(store.apply(app.domainId(), anonymous, app.appId(), visitorData, clock.instant().getEpochSecond())).isTrue();
        String known = loginWith("tablet", "uid", "known");
        assertThat(store.findProfile(app.domainId(), anonymous).orElseThrow().mergedInto()).isEqualTo(known);
        AttributeChanges changedSince = new AttributeChanges();
        changedSince.setGlobal("country", "DE");
        assertThat(store.apply(app.domainId(), known, app.appId(), changedSince, clock.instant().getEpochSecond())).isTrue();

        UnmergeUseCase.Unmerged undone = unmerge.unmerge(app, known, mergeIdOf(known));

        assertThat(undone.restoredAnonymousUserId()).isEqualTo(anonymous);
        assertThat(undone.attributesRemoved()).containsExactlyInAnyOrder("global.first_name", "tags.visitor");
        assertThat(undone.attributesKept()).containsExactly("global.country");
        assertThat(store.attributesOf(app.domainId(), known)).containsExactlyEntriesOf(Map.of("GLOBAL_ATTRIBUTES.country", "DE"));
        assertThat(store.findProfile(app.domainId(), anonymous).orElseThrow().mergedInto()).isNull();
    }

    @Test
    void aMergeIdIsSixteenHexDigitsAndMustNameOneOfTheUsersMerges() {
        String bob = loginWith("bob-phone", "uid", "bob");
        Rejection malformed = catchThrowableOfType(() -> unmerge.unmerge(app, bob, "not-a-merge"), Rejection.class);
        assertThat(malformed.problem().reason()).isEqualTo(Reason.FIELD_INVALID);
        assertThat(malformed.problem().errors()).containsEntry("merge_id", "INVALID_VALUE");
        Rejection unknown = catchThrowableOfType(() -> unmerge.unmerge(app, bob, "0123456789abcdef"), Rejection.class);
        assertThat(unknown.problem().reason()).isEqualTo(Reason.MERGE_NOT_FOUND);
    }
}
