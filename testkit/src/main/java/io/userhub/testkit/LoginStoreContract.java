package io.userhub.testkit;

import io.userhub.shared.audit.AuditKind;
import io.userhub.shared.audit.AuditRecord;
import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.event.DomainEvent;
import io.userhub.shared.event.IdentityEvents;
import io.userhub.shared.model.AttributeChanges;
import io.userhub.shared.port.AttributeWriter;
import io.userhub.shared.identity.IdentityResolution;
import io.userhub.shared.identity.IdentityResolution.Plan;
import io.userhub.shared.model.Claim;
import io.userhub.shared.model.DeviceState;
import io.userhub.shared.session.SessionTokens;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.LoginState;
import io.userhub.shared.model.Session;
import io.userhub.shared.model.StoredIdentity;
import io.userhub.shared.port.Commit;
import io.userhub.shared.port.Guard;
import io.userhub.shared.port.LoginStore;
import io.userhub.shared.port.LoginStore.LoginWrite;
import io.userhub.shared.port.LoginStore.ProfileWrite;
import io.userhub.shared.port.MergeLineages;
import io.userhub.shared.identity.UnmergePlan;
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

    /** Where attribute batches for the store's users go (what a MERGE carries). */
    protected abstract AttributeWriter attributes();

    /**
     * A user's attributes, flat: {@code GLOBAL_ATTRIBUTES.<key>}, {@code GLOBAL_CUSTOM_FIELDS.<key>},
     * {@code TAGS.<tag>} (true), {@code <app>/APP_ATTRIBUTES.<key>}, {@code <app>/APP_CUSTOM_FIELDS.<key>}.
     */
    protected abstract Map<String, Object> attributesOf(String domainId, String userId);

    /** The audit records about a user, as the store keeps them. */
    protected abstract List<AuditRecord> auditRecordsOf(String domainId, String userId);

    /** The lineages the store's merges leave, and their undo. */
    protected abstract MergeLineages lineages();

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

    private LoginWrite anonymousLogin(String deviceId) {
        String userId = Hashing.randomId();
        LoginState state = store().readLoginState(domain, app, List.of(), deviceId, null);
        Instant start = Instant.ofEpochSecond(NOW);
        Session session = new Session(Hashing.randomId(), app, domain, userId, deviceId, start,
                start.plus(Duration.ofHours(24)), start.plus(Duration.ofHours(23)), true, false);
        return new LoginWrite(domain, app, userId, NOW, new ProfileWrite.Create(true, "Visitor", List.of(), Map.of(), false), null,
                NOW, Optional.empty(), deviceId, state.device(), userId, session, SessionTokens.issue(app, deviceId).key(),
                "digest-anonymous", noJti(), Optional.empty(), "login-" + userId, List.of());
    }

    /** The users of a merge: the anonymous visitor and the known user it was merged into. */
    private record Merged(String visitor, String known) {}

    /**
     * An anonymous visitor with attributes on a shared tablet, a known user ({@code uid}) with some
     * of its own on a phone, then the known user's login on the tablet (login id {@code login-merge})
     * merging the visitor under the MERGE policy.
     */
    private Merged mergeAnonymousIntoKnown(String uid) {
        LoginWrite visitor = anonymousLogin("shared-tablet");
        assertThat(store().commitLogin(visitor)).isInstanceOf(Commit.Committed.class);
        AttributeChanges anonymousData = new AttributeChanges();
        anonymousData.setGlobal("plan", "free");
        anonymousData.setGlobal("visits", 3L);
        anonymousData.addTags(List.of("from-ad"));
        anonymousData.setApp("lang", "fr");
        anonymousData.setApp("country", "FR");
        assertThat(attributes().apply(domain, visitor.userId(), app, anonymousData, NOW)).isTrue();

        LoginWrite known = login(List.of(Identity.uid(uid)), "own-phone", noJti(), Optional.empty());
        assertThat(store().commitLogin(known)).isInstanceOf(Commit.Committed.class);
        AttributeChanges knownData = new AttributeChanges();
        knownData.setGlobal("plan", "pro");
        knownData.setApp("theme", "dark");
        knownData.setApp("lang", "de");
        assertThat(attributes().apply(domain, known.userId(), app, knownData, NOW)).isTrue();

        Optional<LoginStore.MergeableAnonymous> merged = store().mergeableAnonymous(domain, visitor.userId());
        assertThat(merged).isPresent();
        List<Identity> identities = List.of(Identity.uid(uid));
        LoginState state = store().readLoginState(domain, app, identities, "shared-tablet", null);
        Plan plan = IdentityResolution.resolve(identities, state, NOW, true, Optional.empty(), Hashing::randomId);
        assertThat(plan.userId()).isEqualTo(known.userId());
        LoginWrite onTheTablet = write(plan, new ProfileWrite.Update(List.of(), Map.of(), false, null), "shared-tablet",
                state.device(), noJti(), Optional.empty());
        LoginWrite merging = new LoginWrite(domain, app, onTheTablet.userId(), NOW, onTheTablet.profile(), plan, NOW, merged,
                "shared-tablet", state.device(), null, onTheTablet.session(), onTheTablet.sessionKey(), onTheTablet.loginDigest(),
                noJti(), Optional.empty(), "login-merge", List.of());

        assertThat(store().commitLogin(merging)).isInstanceOf(Commit.Committed.class);
        return new Merged(visitor.userId(), known.userId());
    }

    @Test
    void aMergeCarriesOnlyWhatTheIdentifiedUserLacksAndLeavesTheAnonymousUserMergedIntoIt() {
        Merged merged = mergeAnonymousIntoKnown("merge-1");
        assertThat(attributesOf(domain, merged.known())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "GLOBAL_ATTRIBUTES.plan", "pro",
                "GLOBAL_ATTRIBUTES.visits", 3L,
                "TAGS.from-ad", true,
                app + "/APP_ATTRIBUTES.lang", "de",
                app + "/APP_ATTRIBUTES.country", "FR",
                app + "/APP_ATTRIBUTES.theme", "dark"));
        assertThat(store().mergeableAnonymous(domain, merged.visitor())).isEmpty();
        assertThat(store().findProfile(domain, merged.visitor()).orElseThrow().mergedInto()).isEqualTo(merged.known());
    }

    @Test
    void aMergeLeavesALineageWhoseUndoTakesBackWhatItFilledInExceptWhatChangedSince() {
        Merged merged = mergeAnonymousIntoKnown("lineage-1");
        MergeLineages.Lineage lineage = lineages().find(domain, merged.known(), "login-merge").orElseThrow();
        assertThat(lineage.moves()).isEmpty();
        MergeLineages.MergedAnonymous anonymous = lineage.anonymous().orElseThrow();
        assertThat(anonymous.userId()).isEqualTo(merged.visitor());
        assertThat(anonymous.filled().labels()).containsExactlyInAnyOrder("global.visits", "tags.from-ad", "app." + app + ".country");

        AttributeChanges later = new AttributeChanges();
        later.setGlobal("visits", 4L);
        assertThat(attributes().apply(domain, merged.known(), app, later, NOW + 30)).isTrue();
        UnmergePlan.AttributeUndo attributes = UnmergePlan.attributeUndo(anonymous.filled(), lineages().carriedAttributesOf(domain, merged.known()));
        assertThat(attributes.kept()).containsExactly("global.visits");
        MergeLineages.Undo undo = new MergeLineages.Undo(domain, lineage, attributes, NOW + 60,
                new DomainEvent.UserUnmerged(app, domain, Instant.ofEpochSecond(NOW + 60), merged.known(), Map.of("merge_id", "login-merge")));

        assertThat(lineages().undo(undo)).isInstanceOf(Commit.Committed.class);
        assertThat(attributesOf(domain, merged.known())).containsEntry("GLOBAL_ATTRIBUTES.visits", 4L).containsEntry("GLOBAL_ATTRIBUTES.plan", "pro")
                .doesNotContainKeys("TAGS.from-ad", app + "/APP_ATTRIBUTES.country");
        assertThat(store().findProfile(domain, merged.visitor()).orElseThrow().mergedInto()).isNull();
        assertThat(lineages().find(domain, merged.known(), "login-merge").orElseThrow().undoneAt()).isEqualTo(NOW + 60);
        assertThat(auditRecordsOf(domain, merged.known())).extracting(AuditRecord::kind).contains(AuditKind.UNMERGE);
        Commit again = lineages().undo(undo);
        assertThat(again).isInstanceOf(Commit.Refused.class);
        assertThat(((Commit.Refused) again).failed(Guard.LINEAGE)).isTrue();
    }

    @Test
    void identityMovesLeaveLineagesThatUndoInTurnAndNeverOverALaterMove() {
        Identity email = new Identity("email", "chain@example.com", Map.of());
        LoginWrite alice = login(List.of(Identity.uid("chain-alice"), email), "chain-alice-phone", noJti(), Optional.empty());
        LoginWrite bob = login(List.of(Identity.uid("chain-bob")), "chain-bob-phone", noJti(), Optional.empty());
        LoginWrite carol = login(List.of(Identity.uid("chain-carol")), "chain-carol-phone", noJti(), Optional.empty());
        List.of(alice, bob, carol).forEach(write -> assertThat(store().commitLogin(write)).isInstanceOf(Commit.Committed.class));
        assertThat(addIdentity(bob.userId(), email, NOW + 60, "to-bob")).isInstanceOf(Commit.Committed.class);
        assertThat(addIdentity(carol.userId(), email, NOW + 120, "to-carol")).isInstanceOf(Commit.Committed.class);

        MergeLineages.Lineage toBob = lineages().find(domain, bob.userId(), "to-bob").orElseThrow();
        assertThat(toBob.moves()).containsExactly(new MergeLineages.MovedIdentity(email, alice.userId(), NOW, NOW + 60));
        assertThat(toBob.anonymous()).isEmpty();
        // bob's move is no longer the last one: its undo would undo carol's, and is refused, writing nothing
        Commit refused = lineages().undo(identityUndo(toBob, NOW + 180));
        assertThat(refused).isInstanceOf(Commit.Refused.class);
        assertThat(((Commit.Refused) refused).failed(Guard.CLAIM)).isTrue();
        assertThat(store().readClaims(domain, List.of(email)).claim(email)).map(Claim::userId).contains(carol.userId());

        assertThat(lineages().undo(identityUndo(lineages().find(domain, carol.userId(), "to-carol").orElseThrow(), NOW + 180)))
                .isInstanceOf(Commit.Committed.class);
        assertThat(lineages().undo(identityUndo(toBob, NOW + 240))).isInstanceOf(Commit.Committed.class);
        assertThat(store().readClaims(domain, List.of(email)).claim(email)).contains(new Claim(alice.userId(), NOW));
        assertThat(store().findProfile(domain, alice.userId()).orElseThrow().identities()).extracting(StoredIdentity::identifier)
                .containsExactlyInAnyOrder("uid", "email");
        assertThat(store().findProfile(domain, bob.userId()).orElseThrow().identities()).extracting(StoredIdentity::identifier)
                .containsExactly("uid");
        assertThat(lineages().claims(domain, List.of(email))).containsEntry(email.profileKey(), new Claim(alice.userId(), NOW));
    }

    /** An identity addition as AddIdentitiesUseCase makes it: the identity placed on the user, moved from its owner if older. */
    private Commit addIdentity(String userId, Identity identity, long at, String additionId) {
        LoginState claims = store().readClaims(domain, List.of(identity));
        Plan plan = IdentityResolution.placeIdentities(List.of(identity), claims, at, true, userId, false);
        List<DomainEvent> events = IdentityEvents.of(app, domain, plan, Instant.ofEpochSecond(at), additionId);
        return store().commitIdentityAddition(domain, app, userId, IdentityResolution.assigned(plan, claims, at),
                plan, at, noJti(), at, additionId, events);
    }

    private MergeLineages.Undo identityUndo(MergeLineages.Lineage lineage, long now) {
        return new MergeLineages.Undo(domain, lineage, UnmergePlan.AttributeUndo.NONE, now,
                new DomainEvent.UserUnmerged(app, domain, Instant.ofEpochSecond(now), lineage.userId(), Map.of("merge_id", lineage.mergeId())));
    }

    @Test
    void aTagBatchOverTheCapIsRefusedAndWritesNothing() {
        LoginWrite first = login(List.of(Identity.uid("tags-1")), "tag-phone", noJti(), Optional.empty());
        assertThat(store().commitLogin(first)).isInstanceOf(Commit.Committed.class);
        AttributeChanges almostFull = new AttributeChanges();
        almostFull.addTags(java.util.stream.IntStream.range(0, io.userhub.shared.validation.Limits.PROFILE_TAGS_MAX - 1)
                .mapToObj(i -> "t" + i).toList());
        assertThat(attributes().apply(domain, first.userId(), app, almostFull, NOW)).isTrue();

        AttributeChanges twoMore = new AttributeChanges();
        twoMore.addTags(List.of("one-more", "too-many"));
        twoMore.setGlobal("plan", "pro");
        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> attributes().apply(domain, first.userId(), app, twoMore, NOW));
        assertThat(refused).isInstanceOf(io.userhub.shared.validation.Rejection.class);
        assertThat(((io.userhub.shared.validation.Rejection) refused).problem().reason())
                .isEqualTo(io.userhub.shared.validation.Reason.TAGS_LIMIT_EXCEEDED);
        assertThat(attributesOf(domain, first.userId())).doesNotContainKeys("TAGS.one-more", "GLOBAL_ATTRIBUTES.plan");

        AttributeChanges swap = new AttributeChanges();
        swap.addTags(List.of("one-more", "last"));
        swap.removeTags(List.of("t0"));
        assertThat(attributes().apply(domain, first.userId(), app, swap, NOW)).isTrue();
        assertThat(attributesOf(domain, first.userId())).containsKeys("TAGS.one-more", "TAGS.last").doesNotContainKey("TAGS.t0");
    }

    @Test
    void anIdentityAdditionMovesAnOlderClaimOffTheLosingProfileAndRecordsTheMoveWithIt() {
        Identity email = new Identity("email", "moving@example.com", Map.of());
        LoginWrite alice = login(List.of(Identity.uid("add-alice"), email), "alice-phone", noJti(), Optional.empty());
        LoginWrite bob = login(List.of(Identity.uid("add-bob")), "bob-phone", noJti(), Optional.empty());
        assertThat(store().commitLogin(alice)).isInstanceOf(Commit.Committed.class);
        assertThat(store().commitLogin(bob)).isInstanceOf(Commit.Committed.class);

        Commit commit = addIdentity(bob.userId(), email, NOW + 60, "addition-1");

        assertThat(commit).isInstanceOf(Commit.Committed.class);
        assertThat(store().readClaims(domain, List.of(email)).claim(email)).map(Claim::userId).contains(bob.userId());
        assertThat(store().findProfile(domain, alice.userId()).orElseThrow().identities())
                .extracting(StoredIdentity::identifier).containsExactly("uid");
        assertThat(store().findProfile(domain, bob.userId()).orElseThrow().identities())
                .extracting(StoredIdentity::identifier).containsExactlyInAnyOrder("uid", "email");
        assertThat(auditRecordsOf(domain, bob.userId())).extracting(AuditRecord::kind).contains(AuditKind.IDENTITY_MOVED);
    }

    @Test
    void aCommittedLoginLeavesItsRecordAndARefusedOneLeavesNone() {
        List<Identity> identities = List.of(Identity.uid("audited"));
        LoginWrite first = login(identities, "audit-phone", noJti(), Optional.empty());
        assertThat(store().commitLogin(withAcceptedEvent(first, "accepted-first"))).isInstanceOf(Commit.Committed.class);
        LoginWrite one = login(identities, "audit-phone", noJti(), Optional.empty());
        LoginWrite racing = login(identities, "audit-phone", noJti(), Optional.of(new LoginStore.Pin("audited", "x")));
        assertThat(store().commitLogin(withAcceptedEvent(one, "accepted-second"))).isInstanceOf(Commit.Committed.class);

        assertThat(store().commitLogin(withAcceptedEvent(racing, "never-happened"))).isInstanceOf(Commit.Refused.class);
        assertThat(auditRecordsOf(domain, first.userId())).extracting(AuditRecord::id)
                .contains("accepted-first").doesNotContain("never-happened");
    }

    /** The write with a LoginAccepted event, and a profile update so that it needs a transaction (which carries the record). */
    private LoginWrite withAcceptedEvent(LoginWrite write, String loginId) {
        DomainEvent accepted = new DomainEvent.LoginAccepted(app, domain, Instant.ofEpochSecond(NOW), loginId, write.userId(), false,
                Map.of("mode", "identities"));
        return new LoginWrite(domain, app, write.userId(), NOW, write.profile(), write.plan(), write.assertedAt(), write.merged(),
                write.deviceId(), write.device(), write.anonymousUserId(), write.session(), write.sessionKey(), write.loginDigest(),
                write.jti(), write.pin(), loginId, List.of(accepted));
    }
}
