package io.userhub.functions.identities;

import io.userhub.shared.concurrent.Futures;
import io.userhub.shared.identity.IdentityResolution;
import io.userhub.shared.identity.IdentityResolution.Plan;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.LoginState;
import io.userhub.shared.model.Profile;
import io.userhub.shared.model.Session;
import io.userhub.shared.model.StoredIdentity;
import io.userhub.shared.session.SessionAccess;
import io.userhub.shared.port.Commit;
import io.userhub.shared.port.Guard;
import io.userhub.shared.port.LoginStore;
import io.userhub.shared.token.IdentityAssertion;
import io.userhub.shared.token.IdentityTokens;
import io.userhub.shared.validation.Limits;
import io.userhub.shared.validation.IdentityRules;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;
import io.userhub.shared.validation.TokenFailureCause;

import java.time.Clock;
import java.time.Instant;
import io.userhub.shared.event.DomainEvent;
import io.userhub.shared.event.EventBatch;
import io.userhub.shared.event.EventSubscriber;
import io.userhub.shared.event.IdentityEvents;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Adds the identities of a signed token to the session's user (Helpshift addUserIdentities).
 * Same token rules as login, but uid or email are not mandatory. A no-op for anonymous users.
 * Conflicts follow SPEC section 3: a non-uid identity moves when this token is newer than the
 * claim; a uid never moves, and a user keeps the uid it has.
 */
public final class AddIdentitiesUseCase {
    private static final int ATTEMPTS = 4;

    public sealed interface Result {
        record NotApplied(String reason) implements Result {}

        record Applied(String userId, List<Identity> identities, List<String> added, List<String> moved,
                       List<String> notMoved) implements Result {}
    }

    private final LoginStore logins;
    private final Clock clock;
    private final Executor parallel;
    private final EventSubscriber events;

    /** @param events the subscribers of each addition's events (its audit records ride in its transaction) */
    public AddIdentitiesUseCase(LoginStore logins, Clock clock, Executor parallel, EventSubscriber events) {
        this.logins = logins;
        this.clock = clock;
        this.parallel = parallel;
        this.events = events;
    }

    public Result add(SessionAccess.Authenticated auth, String identityToken) {
        Session session = auth.record().session();
        if (session.anonymous()) {
            return new Result.NotApplied("ANONYMOUS_USER");
        }
        AppConfig app = auth.app();
        Instant now = clock.instant();
        IdentityAssertion assertion = IdentityTokens.readIdentitiesToken(identityToken, app, now);
        String domain = session.domainId();
        String additionId = io.userhub.shared.audit.AuditRecord.newId();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            CompletableFuture<Optional<Profile>> profileRead =
                    CompletableFuture.supplyAsync(() -> logins.findProfile(domain, session.userId()), parallel);
            LoginState claims = logins.readClaims(domain, assertion.identities());
            Profile profile = Futures.join(profileRead).orElseThrow(() ->
                    Problem.withDetails(Reason.SESSION_INVALID, Map.of("problem", "USER_ERASED")).reject());

            List<Identity> candidates = new ArrayList<>();
            List<String> notStored = new ArrayList<>();
            // A profile keeps the one uid it has, in its namespace: a signed uid never joins a
            // profile an unverified user-id login made (trust levels never mix).
            Optional<Identity> ownUid = profile.identities().stream().map(StoredIdentity::identity)
                    .filter(Identity::isUid).findFirst();
            for (Identity identity : assertion.identities()) {
                if (session.fullPrivacy() && !identity.isUid()) {
                    // Full privacy: no identity other than uid is stored (Helpshift SDK).
                    notStored.add(identity.identifier());
                } else if (identity.isUid() && ownUid.isPresent() && !ownUid.get().profileKey().equals(identity.profileKey())) {
                    notStored.add(identity.identifier());
                } else {
                    candidates.add(identity);
                }
            }
            Plan plan = IdentityResolution.placeIdentities(candidates, claims, assertion.issuedAt(), true, session.userId(), false,
                    app.settings().rules());
            List<StoredIdentity> assigned = IdentityResolution.assigned(plan, claims, assertion.issuedAt());
            // The per-identifier limits count what the profile would hold: its identities and the ones it gains.
            Map<String, Identity> wouldHold = new LinkedHashMap<>();
            profile.identities().forEach(i -> wouldHold.put(i.identity().profileKey(), i.identity()));
            assigned.forEach(i -> wouldHold.put(i.identity().profileKey(), i.identity()));
            IdentityRules.requireWithinLimits(List.copyOf(wouldHold.values()), app.settings().rules());
            int total = profile.identities().size() + plan.toClaim().size() + plan.moves().size();
            if (total > Limits.COLLECTION_SIZE_MAX) {
                // The collection limit holds for the profile too: a user never gathers more than 30 identities.
                throw Problem.withDetails(Reason.IDENTITIES_SIZE_LIMIT_EXCEEDED, Map.of(
                        "currentIdentities", profile.identities().size(), "receivedIdentities", plan.toClaim().size() + plan.moves().size(),
                        "maxIdentitiesAllowed", Limits.COLLECTION_SIZE_MAX)).reject();
            }

            List<DomainEvent> happened = IdentityEvents.of(app.appId(), domain, plan, now, additionId);
            Commit commit = logins.commitIdentityAddition(domain, app.appId(), session.userId(), assigned, plan, assertion.issuedAt(),
                    Optional.ofNullable(assertion.jti()).map(jti -> new LoginStore.UsedJti(jti, assertion.jtiExpiresAt(app.settings()))),
                    now.getEpochSecond(), additionId, happened,
                    session.fullPrivacy() ? List.of() : assertion.unverified().stream()
                            .map(i -> StoredIdentity.of(i, assertion.issuedAt())).toList());
            if (commit instanceof Commit.Refused refused) {
                if (refused.failed(Guard.JTI)) {
                    throw Problem.token(TokenFailureCause.REPLAYED).reject();
                }
                if (refused.failed(Guard.PROFILE) && !refused.conflict()) {
                    throw Problem.withDetails(Reason.SESSION_INVALID, Map.of("problem", "USER_ERASED")).reject();
                }
                continue;
            }
            events.on(new EventBatch(happened, ((Commit.Committed) commit).eventsRecorded()));
            Map<String, Identity> all = new LinkedHashMap<>();
            profile.identities().forEach(i -> all.put(i.identity().profileKey(), i.identity()));
            assigned.forEach(i -> all.put(i.identity().profileKey(), i.identity()));
            List<String> notMoved = new ArrayList<>(notStored);
            plan.conflicts().forEach(c -> notMoved.add(c.identity().identifier()));
            return new Result.Applied(session.userId(), List.copyOf(all.values()),
                    plan.toClaim().stream().map(Identity::identifier).toList(),
                    plan.moves().stream().map(m -> m.identity().identifier()).toList(),
                    notMoved);
        }
        throw Problem.of(Reason.LOGIN_IN_PROGRESS).reject();
    }

}
