package io.userhub.functions.login;

import io.userhub.shared.audit.AuditRecord;
import io.userhub.shared.event.DomainEvent;
import io.userhub.shared.event.EventBatch;
import io.userhub.shared.event.EventSubscriber;
import io.userhub.shared.event.IdentityEvents;
import io.userhub.shared.concurrent.Futures;
import io.userhub.shared.token.TokenVerifier;
import io.userhub.shared.identity.DisplayNames;
import io.userhub.shared.identity.IdentityResolution;
import io.userhub.shared.identity.LoginDigest;
import io.userhub.shared.identity.IdentityResolution.Plan;
import io.userhub.shared.model.AnonymousPolicy;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.LoginState;
import io.userhub.shared.model.Profile;
import io.userhub.shared.model.Session;
import io.userhub.shared.model.SessionKey;
import io.userhub.shared.model.StoredIdentity;
import io.userhub.shared.model.UserIdVerification;
import io.userhub.shared.port.Apps;
import io.userhub.shared.port.AttributeWriter;
import io.userhub.shared.port.Commit;
import io.userhub.shared.port.Guard;
import io.userhub.shared.port.LoginStore;
import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.session.SessionTokens;
import io.userhub.shared.token.IdentityAssertion;
import io.userhub.shared.token.IdentityTokens;
import io.userhub.shared.token.UserIdSignatures;
import io.userhub.shared.validation.IdentityRules;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;
import io.userhub.shared.validation.Rejection;
import io.userhub.shared.validation.TokenFailureCause;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Logs a user in. A returning user costs two sequential DynamoDB round trips once the app is
 * cached: one BatchGetItem (claims, device, pin), then the write with the profile read in
 * parallel for the response. The write is one UpdateItem of the device's item when the login
 * asserts what the device's last login did (the common case), else one TransactWriteItems
 * (profile, claims, device, jti, pin).
 *
 * <p>Every login ends in events ({@link DomainEvent}): accepted, with what it moved, kept or
 * merged, or refused. They go to the subscribers once the outcome is known, never before: the
 * audit writer records them (an accepted login's records ride in its transaction when it has one).
 */
public final class LoginUseCase {
    private static final int ATTEMPTS = 4;

    private final Apps apps;
    private final LoginStore store;
    private final Clock clock;
    private final Executor parallel;
    private final EventSubscriber events;
    private final NewDeviceRefusals newDeviceRefusals = new NewDeviceRefusals();
    private final AttributeWriter signedAttributes;


    /**
     * @param parallel runs the profile read beside the login's write
     * @param events   the subscribers of each login's events (the audit writer, and whoever else listens)
     */
    public LoginUseCase(Apps apps, LoginStore store, Clock clock, Executor parallel, EventSubscriber events) {
        this(apps, store, clock, parallel, events, (domain, user, app, changes, now, expiresAt) -> {
            throw new IllegalStateException("this login use case was built without an attribute store");
        });
    }

    public LoginUseCase(Apps apps, LoginStore store, Clock clock, Executor parallel, EventSubscriber events,
                        AttributeWriter signedAttributes) {
        this.signedAttributes = signedAttributes;
        this.apps = apps;
        this.store = store;
        this.clock = clock;
        this.parallel = parallel;
        this.events = events;
    }


    public LoginResult login(LoginCommand command) {
        return login(command, null);
    }

    /** @param sourceIp the caller's address as API Gateway saw it (null when unknown): new anonymous devices are counted per address */
    public LoginResult login(LoginCommand command, String sourceIp) {
        // The login's id, which its events carry: every attempt the same, so a retried write replaces its records.
        String loginId = AuditRecord.newId();
        AppConfig app = null;
        try {
            app = apps.require(command.appId());
            io.userhub.shared.validation.IdentityFeature.requireEnabled(app);
            if (!app.settings().allows(command.mode())) {
                throw Problem.withDetails(Reason.LOGIN_MODE_DISABLED, Map.of("mode", command.mode().name())).reject();
            }
            Instant now = clock.instant();
            LoginIntent intent;
            if (command instanceof LoginCommand.IdentitiesLogin c) {
                intent = identitiesIntent(c, app, now);
            } else if (command instanceof LoginCommand.ExternalIdLogin c) {
                intent = externalIdIntent(c, app, now);
            } else if (command instanceof LoginCommand.UnsignedLogin c) {
                intent = unsignedIntent(c, app, now);
            } else {
                intent = userIdIntent((LoginCommand.UserIdLogin) command, app, now);
            }
            return intent instanceof LoginIntent.Identified identified
                    ? loginIdentified(app, command, identified, now, loginId)
                    : loginAnonymously(app, command, now, loginId, sourceIp);
        } catch (Rejection rejection) {
            if (app != null) {
                publish(EventBatch.of(new DomainEvent.LoginRefused(app.appId(), app.domainId(), clock.instant(),
                        refusalFacts(app, command, rejection.problem()))));
            }
            return new LoginResult.Failure(rejection.problem());
        }
    }

    // ---- audit -------------------------------------------------------------------------------

    private static String modeName(LoginCommand command) {
        return command.mode().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static DomainEvent.LoginAccepted accepted(AppConfig app, LoginCommand command, String loginId, String userId,
                                                      boolean newUser, Instant now, Map<String, Object> more) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("mode", modeName(command));
        facts.put("device_sha256", Hashing.sha256Hex(command.deviceId()));
        facts.putAll(more);
        return new DomainEvent.LoginAccepted(app.appId(), app.domainId(), now, loginId, userId, newUser, facts);
    }

    /** The events of an outcome go to the subscribers once it is known (none of them can fail the login's answer). */
    private void publish(EventBatch batch) {
        events.on(batch);
    }

    private static Map<String, Object> refusalFacts(AppConfig app, LoginCommand command, Problem problem) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", modeName(command));
        details.put("reason", problem.reason().name());
        Object cause = problem.details().get("cause");
        if (cause != null) {
            details.put("cause", String.valueOf(cause));
        }
        String token = command instanceof LoginCommand.IdentitiesLogin c ? c.identityToken()
                : command instanceof LoginCommand.ExternalIdLogin c ? c.jwt() : null;
        TokenVerifier.knownKidOf(token, app).ifPresent(kid -> details.put("kid", kid));
        return details;
    }

    // ---- credentials -> intent -----------------------------------------------------------

    private LoginIntent identitiesIntent(LoginCommand.IdentitiesLogin c, AppConfig app, Instant now) {
        boolean fullPrivacy = c.fullPrivacy();
        if (c.identityToken().isEmpty()) {
            checkExpected(c.expected(), null, null);
            return new LoginIntent.Anonymous();
        }
        IdentityAssertion assertion = readWithPublishedKeys(app, a -> IdentityTokens.readIdentitiesToken(c.identityToken(), a, now));
        if (!fullPrivacy) {
            io.userhub.shared.validation.IdentityVerification.requireVerifiedUidOrEmail(
                    new io.userhub.shared.validation.IdentityVerification.Split(assertion.identities(), assertion.unverified()));
        }
        List<Identity> asserted = new java.util.ArrayList<>(assertion.identities());
        asserted.addAll(assertion.unverified());
        IdentityRules.requireWithinLimits(asserted, app.settings().rules());
        checkExpected(c.expected(), assertion.uid().map(Identity::value).orElse(null),
                asserted.stream().filter(Identity::isEmail).map(Identity::value).findFirst().orElse(null));
        // In full privacy no identity other than uid is stored; without a uid the user is anonymous.
        List<Identity> identities = fullPrivacy ? assertion.uid().map(List::of).orElse(List.of()) : assertion.identities();
        if (identities.isEmpty()) {
            return new LoginIntent.Anonymous();
        }
        return new LoginIntent.Identified(identities, assertion.issuedAt(), true, assertion.jti(),
                assertion.jtiExpiresAt(app.settings()), null, null, Map.of(), null, fullPrivacy, assertion.kid(), List.of(),
                fullPrivacy ? List.of() : assertion.unverified(), assertion.signedAttributes());
    }



    private LoginIntent externalIdIntent(LoginCommand.ExternalIdLogin c, AppConfig app, Instant now) {
        String externalId = IdentityRules.requireUidValue("external_id", c.externalId(), app.settings().blockedValues(), Reason.EXTERNAL_ID_INVALID);
        IdentityAssertion assertion = readWithPublishedKeys(app, a -> IdentityTokens.readExternalIdToken(c.jwt(), externalId, a, now));
        return new LoginIntent.Identified(assertion.identities(), assertion.issuedAt(), true, assertion.jti(),
                assertion.jtiExpiresAt(app.settings()), null, null, Map.of(), null, false, assertion.kid(), assertion.relaxations());
    }

    /**
     * Identities the signed modes received without a token (staged enforcement): refused while
     * the app requires signing; otherwise resolved by their uid in the unverified namespace only,
     * like a user-id login without HMAC, the other identities kept as profile fields, never claimed.
     * A security hash pinned for that user id by a user-id login still has to be sent: none is, so
     * such a user id is refused.
     */
    private LoginIntent unsignedIntent(LoginCommand.UnsignedLogin c, AppConfig app, Instant now) {
        if (app.settings().verification() == io.userhub.shared.model.SignedModeVerification.REQUIRED) {
            throw Problem.token(TokenFailureCause.UNSIGNED, "verification", "required").reject();
        }
        List<String> blocked = app.settings().blockedValues();
        String uid;
        Map<String, String> fields = new LinkedHashMap<>();
        if (c.externalId() != null) {
            uid = IdentityRules.requireUidValue("external_id", c.externalId(), blocked, Reason.EXTERNAL_ID_INVALID);
        } else {
            List<Identity> identities = c.identities();
            IdentityRules.requireNotBlocked(identities, blocked);
            uid = identities.stream().filter(Identity::isUid).map(Identity::value).findFirst().orElseThrow(() ->
                    Problem.withErrors(Reason.IDENTITIES_DATA_INVALID, Map.of("uid", io.userhub.shared.validation.ErrorCode.MISSING.name())).reject());
            identities.stream().filter(i -> !i.isUid()).forEach(i -> fields.putIfAbsent(i.identifier(), i.value()));
        }
        return new LoginIntent.Identified(List.of(Identity.unverifiedUid(uid)), now.getEpochSecond(), false, null, 0,
                uid, null, fields, null, false, null);
    }

    private LoginIntent userIdIntent(LoginCommand.UserIdLogin c, AppConfig app, Instant now) {
        LoginCommand.UserRecord user = c.user();
        if (user.userId() == null) {
            // HelpCrunch: without a user_id the visitor is not authenticated: an anonymous user.
            return new LoginIntent.Anonymous();
        }
        String uid = IdentityRules.requireUidValue("user_id", user.userId(), app.settings().blockedValues(), Reason.IDENTITIES_DATA_INVALID);
        Map<String, String> fields = user.fields();
        String presentedHash = user.securityHash();
        long nowSeconds = now.getEpochSecond();
        if (app.settings().userIdVerification() == UserIdVerification.HMAC) {
            // The backend's HMAC of the user id proves the user as a signed token does: the verified namespace.
            if (!UserIdSignatures.matches(app, uid, presentedHash, now)) {
                throw Problem.withDetails(Reason.SECURITY_HASH_MISMATCH, Map.of("problem", "HMAC_REQUIRED")).reject();
            }
            return new LoginIntent.Identified(List.of(Identity.uid(uid)), nowSeconds, true, null, 0,
                    null, null, fields, fields.get("name"), false, null);
        }
        // Nothing is proven: the unverified namespace, where a security hash, once sent, is pinned.
        String pinHash = presentedHash == null ? null : Hashing.sha256Hex(presentedHash);
        return new LoginIntent.Identified(List.of(Identity.unverifiedUid(uid)), nowSeconds, false, null, 0,
                uid, pinHash, fields, fields.get("name"), false, null);
    }


    /**
     * A token whose kid the app lacks may be signed by a key its JWK Set published since the set
     * was fetched: the set is fetched again (at most once a minute) and the token read once more.
     */
    private IdentityAssertion readWithPublishedKeys(AppConfig app, java.util.function.Function<AppConfig, IdentityAssertion> read) {
        try {
            return read.apply(app);
        } catch (Rejection rejection) {
            if (!TokenFailureCause.UNKNOWN_KEY.name().equals(String.valueOf(rejection.problem().details().get("cause")))) {
                throw rejection;
            }
            return apps.refreshPublishedKeys(app).map(read).orElseThrow(() -> rejection);
        }
    }

    /** A web widget's configured user id / email must match the JWT (Helpshift Web Chat). */
    private static void checkExpected(LoginCommand.Expected expected, String jwtUserId, String jwtEmail) {
        if (expected.userId() != null && !expected.userId().isEmpty() && !expected.userId().equals(jwtUserId)) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("jwtUserId", jwtUserId);
            details.put("configUserId", expected.userId());
            throw Problem.withDetails(Reason.CONFIG_JWT_USER_ID_MISMATCH, details).reject();
        }
        if (expected.userEmail() != null && !expected.userEmail().isEmpty()
                && (jwtEmail == null || !expected.userEmail().trim().equalsIgnoreCase(jwtEmail.trim()))) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("jwtEmail", jwtEmail);
            details.put("configEmail", expected.userEmail());
            throw Problem.withDetails(Reason.CONFIG_JWT_EMAIL_MISMATCH, details).reject();
        }
    }

    // ---- identified login -------------------------------------------------------------------

    private LoginResult loginIdentified(AppConfig app, LoginCommand command, LoginIntent.Identified asked, Instant now,
                                        String loginId) {
        String domain = app.domainId();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            LoginState state = store.readLoginState(domain, app.appId(), identitiesToRead(asked), command.deviceId(), asked.pinUserId());
            checkPin(state, asked);
            boolean openedByImportPin = !asked.signed() && state.pinnedProfile().isPresent();
            if (openedByImportPin) {
                requirePinnedProfileHoldsTheUserId(state, asked.pinUserId());
            }
            LoginIntent.Identified intent = openedByImportPin ? openingImportedProfile(asked) : asked;
            LoginResult.Verification verification = verification(command, asked, intent, state);
            Optional<String> adoptable = IdentityResolution.emailOwnerForNewUid(intent.identities(), state)
                    .filter(owner -> store.findProfile(domain, owner).map(p -> !p.hasUid() && !p.anonymous()).orElse(false));
            Plan plan = IdentityResolution.resolve(intent.identities(), state, intent.assertedAt(), intent.signed(),
                    adoptable, Hashing::randomId, app.settings().rules());
            Optional<LoginStore.MergeableAnonymous> merged = anonymousToMerge(app, state, plan.userId());

            IssuedSession issued = IssuedSession.create(app, plan.userId(), command.deviceId(), false, intent.fullPrivacy(), now);
            List<StoredIdentity> assigned = IdentityResolution.assigned(plan, state, intent.assertedAt());
            String newProfileName = intent.displayName() != null ? intent.displayName() : DisplayNames.random();
            boolean pinning = intent.pinHash() != null && state.pinHash().isEmpty();
            String digest = LoginDigest.of(digestIdentities(intent), intent.fields(), intent.displayName(), intent.fullPrivacy());
            boolean assertsWhatTheDeviceLastDid = plan.toClaim().isEmpty() && plan.moves().isEmpty() && merged.isEmpty() && !pinning
                    && plan.userId().equals(state.device().lastUserId()) && digest.equals(state.device().loginDigest());
            LoginStore.ProfileWrite profileWrite = plan.newProfile()
                    ? new LoginStore.ProfileWrite.Create(false, newProfileName, assigned, intent.fields(), pinning, unverified(intent))
                    : assertsWhatTheDeviceLastDid ? new LoginStore.ProfileWrite.Unchanged()
                    : new LoginStore.ProfileWrite.Update(assigned, intent.fields(), pinning, intent.displayName(), unverified(intent));
            LoginStore.LoginWrite write = new LoginStore.LoginWrite(domain, app.appId(), plan.userId(), now.getEpochSecond(),
                    profileWrite, plan, intent.assertedAt(), merged, command.deviceId(), state.device(),
                    anonymousUserKept(command, state, merged),
                    issued.session(), issued.key(), digest,
                    Optional.ofNullable(intent.jti()).map(jti -> new LoginStore.UsedJti(jti, intent.jtiExpiresAt())),
                    pinning ? Optional.of(new LoginStore.Pin(intent.pinUserId(), intent.pinHash())) : Optional.empty(),
                    loginId, identifiedEvents(app, command, intent, plan, merged, issued, now, loginId, verification, openedByImportPin));

            CompletableFuture<Optional<Profile>> profileRead = plan.newProfile()
                    ? CompletableFuture.completedFuture(Optional.empty())
                    : CompletableFuture.supplyAsync(() -> store.viewProfile(domain, plan.userId()), parallel);
            Commit commit = store.commitLogin(write);
            if (commit instanceof Commit.Refused refused) {
                failIfFinal(refused);
                backOff(attempt);
                continue;
            }
            publish(new EventBatch(write.events(), ((Commit.Committed) commit).eventsRecorded()));
            Profile stored = Futures.join(profileRead).orElse(null);
            apps.noteKeyUse(app.appId(), intent.kid());
            String signedAttributesRefused = applySignedAttributes(app, plan.userId(), intent, now);
            String displayName = intent.displayName() != null ? intent.displayName()
                    : stored != null ? stored.displayName() : newProfileName;
            boolean countedUnverified = command instanceof LoginCommand.UnsignedLogin
                    && app.settings().verification() == io.userhub.shared.model.SignedModeVerification.OPTIONAL;
            return success(issued, plan, assigned, stored, displayName, countedUnverified, verification, signedAttributesRefused);
        }
        throw Problem.of(Reason.LOGIN_IN_PROGRESS).reject();
    }

    private static List<StoredIdentity> unverified(LoginIntent.Identified intent) {
        return intent.unverified().stream().map(i -> StoredIdentity.of(i, intent.assertedAt())).toList();
    }

    /** What the login asserted, the unverified identities marked as such: a change of either is a change of the profile. */
    private static List<Identity> digestIdentities(LoginIntent.Identified intent) {
        List<Identity> all = new java.util.ArrayList<>(intent.identities());
        intent.unverified().forEach(i -> {
            Map<String, String> marked = new java.util.TreeMap<>(i.metadata());
            marked.put("\u0000unverified", "true");
            all.add(new Identity(i.identifier(), i.value(), marked));
        });
        return all;
    }

    /**
     * An unverified login also reads the claim of its user id in the verified namespace (one more
     * key in the same BatchGetItem), to say whether a signed or imported profile has that user id,
     * and to open it when an import's security hash was presented.
     */
    private static List<Identity> identitiesToRead(LoginIntent.Identified intent) {
        if (intent.signed() || intent.pinUserId() == null) {
            return intent.identities();
        }
        List<Identity> identities = new java.util.ArrayList<>(intent.identities());
        identities.add(Identity.uid(intent.pinUserId()));
        return identities;
    }

    /**
     * The login's security hash matched the pin an import set (checkPin passed): it opens the
     * imported profile of that user id, in the verified namespace, as HelpCrunch's sticky hash
     * does. The pin stays read and checked on every attempt.
     */
    private static LoginIntent.Identified openingImportedProfile(LoginIntent.Identified asked) {
        return new LoginIntent.Identified(List.of(Identity.uid(asked.pinUserId())), asked.assertedAt(), true, null, 0,
                asked.pinUserId(), asked.pinHash(), asked.fields(), asked.displayName(), false, null);
    }

    /**
     * The pin opens the profile it names only while that profile still holds the user id: never a
     * new verified profile (the claim released by an erase that has not reached the pin yet), nor
     * another profile that holds the user id now.
     */
    private static void requirePinnedProfileHoldsTheUserId(LoginState state, String userIdValue) {
        Optional<String> holder = state.claim(Identity.uid(userIdValue)).map(io.userhub.shared.model.Claim::userId);
        if (holder.isEmpty()) {
            // An erase of the imported profile is under way: its pin goes next.
            throw Problem.withDetails(Reason.SERVICE_BUSY, Map.of("retryAfterSeconds", 1)).reject();
        }
        if (!holder.equals(state.pinnedProfile())) {
            throw Problem.withDetails(Reason.SECURITY_HASH_MISMATCH, Map.of("problem", "PINNED_PROFILE_CHANGED")).reject();
        }
    }

    private static LoginResult.Verification verification(LoginCommand command, LoginIntent.Identified asked,
                                                         LoginIntent.Identified effective, LoginState state) {
        if (effective.signed()) {
            return LoginResult.Verification.VERIFIED;
        }
        String reason = command instanceof LoginCommand.UnsignedLogin ? "UNSIGNED_IDENTITIES" : "USER_ID_NOT_VERIFIED";
        return new LoginResult.Verification(false, reason, state.claim(Identity.uid(asked.pinUserId())).isPresent());
    }

    private List<DomainEvent> identifiedEvents(AppConfig app, LoginCommand command, LoginIntent.Identified intent, Plan plan,
                                                Optional<LoginStore.MergeableAnonymous> merged, IssuedSession issued, Instant now,
                                                String loginId, LoginResult.Verification verification, boolean openedByImportPin) {
        Map<String, Object> more = new LinkedHashMap<>();
        more.put("verified", verification.verified());
        if (!verification.verified()) {
            more.put("unverified_reason", verification.unverifiedReason());
            more.put("verified_profile_exists", verification.verifiedProfileExists());
        }
        if (openedByImportPin) {
            more.put("verified_by", "imported_security_hash");
        }
        if (command instanceof LoginCommand.UnsignedLogin) {
            more.put("unsigned", true);
            more.put("verification", app.settings().verification().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (intent.kid() != null) {
            more.put("kid", intent.kid());
        }
        if (!intent.relaxations().isEmpty()) {
            more.put("sunshine_compatibility", String.join(",", intent.relaxations().stream().map(Enum::name).toList()));
        }
        more.put("session_id", issued.session().sessionId());
        more.put("identifiers", String.join(",", intent.identities().stream().map(Identity::identifier).distinct().toList()));
        if (!plan.moves().isEmpty()) {
            more.put("identities_moved", plan.moves().size());
        }
        if (!plan.conflicts().isEmpty()) {
            more.put("identities_not_moved", plan.conflicts().size());
        }
        merged.ifPresent(anon -> more.put("merged_user_id", anon.userId()));
        if (!plan.moves().isEmpty() || merged.isPresent()) {
            // What POST .../users/{id}/unmerge takes to undo this login's moves and merge.
            more.put("merge_id", loginId);
        }
        List<DomainEvent> events = new java.util.ArrayList<>();
        events.add(accepted(app, command, loginId, plan.userId(), plan.newProfile(), now, more));
        events.addAll(IdentityEvents.of(app.appId(), app.domainId(), plan, now, loginId));
        merged.ifPresent(anon -> events.add(new DomainEvent.UsersMerged(app.appId(), app.domainId(), now, loginId,
                anon.userId(), plan.userId(), new io.userhub.shared.identity.CarriedAttributes(anon.profile(), anon.apps()).labels())));
        return events;
    }

    private static void checkPin(LoginState state, LoginIntent.Identified intent) {
        // HelpCrunch: once a security_hash was sent for a user id, every later login must send the same one.
        if (state.pinHash().isPresent()
                && (intent.pinHash() == null || !Hashing.sameDigest(state.pinHash().get(), intent.pinHash()))) {
            throw Problem.of(Reason.SECURITY_HASH_MISMATCH).reject();
        }
    }

    /**
     * The device's anonymous user that an identified login keeps for the device's next anonymous
     * login ({@code clear_anonymous_user_on_login: false}), or null when the login forgets it: by
     * default, and always when this login merged it into the identified user.
     */
    private static String anonymousUserKept(LoginCommand command, LoginState state, Optional<LoginStore.MergeableAnonymous> merged) {
        return command.clearAnonymousUserOnLogin() || merged.isPresent() ? null : state.device().anonymousUserId();
    }

    /** The anonymous user of the device, when the MERGE policy applies to this login. */
    private Optional<LoginStore.MergeableAnonymous> anonymousToMerge(AppConfig app, LoginState state, String userId) {
        String anonymousId = state.device().anonymousUserId();
        if (app.settings().anonymousPolicy() != AnonymousPolicy.MERGE || anonymousId == null || anonymousId.equals(userId)) {
            return Optional.empty();
        }
        return store.mergeableAnonymous(app.domainId(), anonymousId);
    }

    private static void failIfFinal(Commit.Refused failed) {
        if (failed.failed(Guard.DEVICE)) {
            throw Problem.of(Reason.LOGIN_IN_PROGRESS).reject();
        }
        if (failed.failed(Guard.JTI)) {
            throw Problem.token(TokenFailureCause.REPLAYED).reject();
        }
        if (failed.failed(Guard.PIN)) {
            throw Problem.of(Reason.SECURITY_HASH_MISMATCH).reject();
        }
    }

    /** Concurrent first logins of one person collide on its claims; spread their retries apart. */
    private static void backOff(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(5, 25L * (attempt + 1)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }


    /**
     * The token's signed attributes, written once the login has its profile (one more write, only
     * for tokens that carry them). The login stands if they cannot be written (the profile's tag
     * cap): the answer says why, and the next token can carry fewer.
     *
     * @return the refusal's reason, or null when written (or none)
     */
    private String applySignedAttributes(AppConfig app, String userId, LoginIntent.Identified intent, Instant now) {
        if (intent.signedAttributes() == null) {
            return null;
        }
        try {
            signedAttributes.apply(app.domainId(), userId, app.appId(), intent.signedAttributes(), now.getEpochSecond());
            return null;
        } catch (Rejection refused) {
            return refused.problem().reason().name();
        }
    }

    private LoginResult success(IssuedSession issued, Plan plan, List<StoredIdentity> assigned, Profile stored,
                                String displayName, boolean countedUnverified, LoginResult.Verification verification,
                                String signedAttributesRefused) {
        Map<String, Identity> identities = new LinkedHashMap<>();
        if (stored != null) {
            stored.identities().forEach(i -> identities.put(i.identity().profileKey(), i.identity()));
        }
        assigned.forEach(i -> identities.put(i.identity().profileKey(), i.identity()));
        List<String> notMoved = plan.conflicts().stream().map(c -> c.identity().identifier()).toList();
        return new LoginResult.Success(issued.token(), issued.session(),
                new LoginResult.UserView(plan.userId(), false, displayName, List.copyOf(identities.values())), notMoved, countedUnverified,
                verification, signedAttributesRefused);
    }

    // ---- anonymous login ---------------------------------------------------------------------

    /**
     * The same anonymous user for the same device across empty-token logins, until the device
     * logs in with an identity: that login clears the device's anonymous user (Helpshift SDK).
     */
    private LoginResult loginAnonymously(AppConfig app, LoginCommand command, Instant now, String loginId, String sourceIp) {
        String domain = app.domainId();
        long hour = now.getEpochSecond() / 3600;
        String sourceIpDigest = sourceIp == null ? null : Hashing.sha256Hex(AddressBlocks.of(sourceIp));
        boolean forceNew = false;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            LoginState state = store.readLoginState(domain, app.appId(), List.of(), command.deviceId(), null);
            String existing = forceNew ? null : state.device().anonymousUserId();
            String userId = existing != null ? existing : Hashing.randomId();
            String newName = DisplayNames.anonymous();
            boolean newDevice = !state.device().exists() && sourceIpDigest != null;
            if (newDevice && newDeviceRefusals.refused(app.appId(), sourceIpDigest, hour)) {
                throw tooManyNewDevices(app, now);
            }
            IssuedSession issued = IssuedSession.create(app, userId, command.deviceId(), true, false, now);
            LoginStore.ProfileWrite profileWrite = existing == null
                    ? new LoginStore.ProfileWrite.Create(true, newName, List.of(), Map.of(), false)
                    : new LoginStore.ProfileWrite.KeepAnonymous();
            LoginStore.LoginWrite write = new LoginStore.LoginWrite(domain, app.appId(), userId, now.getEpochSecond(),
                    profileWrite, null, 0, Optional.empty(), command.deviceId(), state.device(), userId,
                    issued.session(), issued.key(), null,
                    Optional.empty(), Optional.empty(), loginId,
                    List.of(accepted(app, command, loginId, userId, existing == null, now,
                            Map.of("anonymous", true, "session_id", issued.session().sessionId()))),
                    Optional.of(anonymousExpiry(app, state, existing != null, now)),
                    newDevice ? Optional.of(new LoginStore.NewDeviceAllowance(sourceIpDigest, hour,
                            app.settings().newAnonymousDevicesPerIpPerHour())) : Optional.empty());
            CompletableFuture<Optional<Profile>> profileRead = existing == null
                    ? CompletableFuture.completedFuture(Optional.empty())
                    : CompletableFuture.supplyAsync(() -> store.viewProfile(domain, userId), parallel);
            Commit commit = store.commitLogin(write);
            if (commit instanceof Commit.Refused refused) {
                // A conflict is another login's transaction on the same counter (two devices behind one
                // NAT at once), not a spent allowance: that login reads again like any other conflict.
                if (refused.failed(Guard.ALLOWANCE) && !refused.conflict()) {
                    newDeviceRefusals.note(app.appId(), sourceIpDigest, hour);
                    throw tooManyNewDevices(app, now);
                }
                failIfFinal(refused);
                forceNew = forceNew || refused.failed(Guard.PROFILE);
                backOff(attempt);
                continue;
            }
            publish(new EventBatch(write.events(), ((Commit.Committed) commit).eventsRecorded()));
            String displayName = Futures.join(profileRead).map(Profile::displayName).orElse(newName);
            return new LoginResult.Success(issued.token(), issued.session(),
                    new LoginResult.UserView(userId, true, displayName, List.of()), List.of());
        }
        throw Problem.of(Reason.LOGIN_IN_PROGRESS).reject();
    }

    /** Pushing an anonymous user's expiry back costs a transaction; once a day per device is enough for a 30-day period. */
    static final java.time.Duration ANONYMOUS_EXPIRY_STEP = java.time.Duration.ofDays(1);

    /**
     * Until when the anonymous user's items live after this login: the app's inactivity period
     * from now. The device's item takes it at every login (it is written anyway); the profile and
     * the pointer when they are made, and again once what they hold is a day old.
     */
    private static LoginStore.AnonymousExpiry anonymousExpiry(AppConfig app, LoginState state, boolean returning, Instant now) {
        long period = app.settings().anonymousInactivity().toSeconds();
        long expiresAt = now.getEpochSecond() + period;
        // A day's step, or half the period when it is shorter, so a short period is pushed back too.
        long step = Math.min(ANONYMOUS_EXPIRY_STEP.toSeconds(), period / 2);
        boolean extend = returning && state.device().anonymousExpiresAt() < expiresAt - step;
        return new LoginStore.AnonymousExpiry(expiresAt, extend);
    }

    private static Rejection tooManyNewDevices(AppConfig app, Instant now) {
        long retryAfter = 3600 - now.getEpochSecond() % 3600;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("problem", "NEW_ANONYMOUS_DEVICES");
        details.put("retryAfterSeconds", retryAfter);
        details.put("limitPerHour", app.settings().newAnonymousDevicesPerIpPerHour());
        return Problem.withDetails(Reason.RATE_LIMITED, details).reject();
    }

    /** A new session: its token (256 random bits after the device's digest) shown once, only the secret's SHA-256 kept. */
    record IssuedSession(String token, SessionKey key, Session session) {
        static IssuedSession create(AppConfig app, String userId, String deviceId, boolean anonymous, boolean fullPrivacy, Instant now) {
            SessionTokens.Issued issued = SessionTokens.issue(app.appId(), deviceId);
            Instant start = Instant.ofEpochSecond(now.getEpochSecond());
            Instant expires = start.plus(app.settings().sessionLifetime());
            Instant refresh = expires.minus(app.settings().refreshNotice());
            if (refresh.isBefore(start)) {
                refresh = start;
            }
            Session session = new Session(Hashing.randomId(), app.appId(), app.domainId(), userId, deviceId, start, expires, refresh, anonymous, fullPrivacy);
            return new IssuedSession(issued.token(), issued.key(), session);
        }
    }

}
